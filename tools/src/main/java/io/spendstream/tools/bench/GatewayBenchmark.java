package io.spendstream.tools.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.schemas.CallKeys;
import io.spendstream.tools.CliMain;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.infra.process.ChildLogging;
import io.spendstream.infra.process.HttpProbe;
import io.spendstream.infra.process.JavaProcess;
import io.spendstream.infra.process.Ports;
import io.spendstream.ingest.auth.ApiKeys;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.json.Json;
import io.spendstream.schemas.json.LlmCallJson;
import io.spendstream.schemas.json.ParseOptions;
import io.spendstream.schemas.json.ParseResult;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Events/s acknowledged end to end through the ingest gateway, run as its own process as in production,
 * loaded over HTTP by wrk (a separate, efficient C process: an in-JVM Java client was measured eating
 * half the CPU of this 2-core machine and under-reported the gateway threefold) with batches of
 * realistic events; against, in the same run, a bare Kafka producer writing the same Avro records with
 * the gateway's producer settings.
 */
public final class GatewayBenchmark {
  /** The measured figures. */
  public record Result(long events, double gatewayEventsPerSecond, double bareEventsPerSecond, double p50Millis,
      double p99Millis, long gatewayRssBytes, long gatewayHeapBytes) {
    public double ratio() {
      return gatewayEventsPerSecond / bareEventsPerSecond;
    }
  }

  private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
  private static final Pattern ERRORS = Pattern.compile("Socket errors: (.*)");

  private GatewayBenchmark() {}

  public static Result run(String bootstrap, String registryUrl, Path work, Duration duration, int batch, int connections,
      PrintWriter out) throws Exception {
    if (!onPath("wrk")) {
      throw new IllegalStateException("the gateway benchmark drives load with wrk; install it (apt-get install wrk)");
    }
    Path script = locateScript();
    String topic = "bench-" + UUID.randomUUID();
    KafkaTopics.ensure(bootstrap, List.of(new TopicSpec(topic, 3, Duration.ofDays(30))));
    String key = ApiKeys.generate();
    Path keys = work.resolve("bench-keys.yaml");
    Files.writeString(keys, "tenants:\n  - id: acme\n    rate_limit_per_second: 100000000\n    keys: [\""
        + ApiKeys.hash(key) + "\"]\n");

    CallGenerator gen = new CallGenerator(42);
    ArrayNode template = Json.MAPPER.createArrayNode();
    Instant now = Instant.now();
    for (int i = 0; i < batch; i++) {
      ObjectNode e = gen.next("acme", now.minusSeconds(1));
      e.put("event_id", "EVID-" + i);
      template.add(e);
    }
    Path templateFile = work.resolve("batch-template.json");
    Files.write(templateFile, Json.MAPPER.writeValueAsBytes(template));
    out.printf("request body %,d bytes (%d events)%n", Files.size(templateFile), batch);

    int port = Ports.ephemeral();
    int opsPort = Ports.ephemeral();
    try (JavaProcess gateway = JavaProcess.start("gateway", work, List.of("-Xmx1g", ChildLogging.jvmArg(work), "-cp",
        ChildLogging.classpath()), List.of(CliMain.CLASS, "gateway", "--port", String.valueOf(port), "--grpc-port", "0",
        "--ops-port", String.valueOf(opsPort), "--keys", keys.toString(), "--kafka", bootstrap, "--registry", registryUrl, "--topic", topic),
        work.resolve("gateway.log"))) {
      String base = "http://127.0.0.1:" + port;
      gateway.awaitReady(() -> HttpProbe.ok(base + "/readyz"), Duration.ofSeconds(60));
      out.println("warming up the gateway (10 s) ...");
      out.flush();
      wrk(script, templateFile, key, base, Duration.ofSeconds(10), connections);
      out.printf("measuring for %d s with %d connections ...%n", duration.toSeconds(), connections);
      out.flush();
      String report = wrk(script, templateFile, key, base, duration, connections);
      long requests = Long.parseLong(find(REQUESTS, report, "request count"));
      Matcher bad = NON_2XX.matcher(report);
      if (bad.find() || ERRORS.matcher(report).find()) {
        throw new IllegalStateException("the gateway did not acknowledge every request:\n" + report);
      }
      double rate = Double.parseDouble(find(RATE, report, "request rate")) * batch;
      double p50 = latencyMillis(report, "50%");
      double p99 = latencyMillis(report, "99%");
      long rss = rss(gateway.pid());
      long heap = heapUsed("http://127.0.0.1:" + opsPort);
      List<LlmCall> records = new ArrayList<>();
      for (int i = 0; i < Math.min(requests * batch, 400_000); i++) {
        ObjectNode e = gen.next("acme", now);
        records.add(((ParseResult.Valid) LlmCallJson.parse(e, ParseOptions.offline())).call());
      }
      double bareRate = bare(bootstrap, registryUrl, topic, records);
      return new Result(requests * batch, rate, bareRate, p50, p99, rss, heap);
    }
  }

  private static String wrk(Path script, Path template, String key, String base, Duration d, int connections)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("wrk", "-t", String.valueOf(Math.min(2, connections)), "-c",
        String.valueOf(connections), "-d", d.toSeconds() + "s", "--timeout", "30s", "--latency", "-s", script.toString(), base)
        .redirectErrorStream(true);
    pb.environment().put("SPENDSTREAM_BENCH_TEMPLATE", template.toString());
    pb.environment().put("SPENDSTREAM_BENCH_KEY", key);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("wrk failed:\n" + output);
    }
    return output;
  }

  private static double latencyMillis(String report, String percentile) {
    Matcher m = Pattern.compile(Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)").matcher(report);
    if (!m.find()) {
      return -1;
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }

  private static String find(Pattern p, String text, String what) {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + what + " in wrk's report:\n" + text);
    }
    return m.group(1);
  }

  private static long heapUsed(String base) {
    return HttpProbe.body(base + "/metrics").map(metrics -> metrics.lines()
        .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum()).orElse(-1L);
  }

  private static long rss(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")).stream().filter(l -> l.startsWith("VmRSS:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private static boolean onPath(String tool) {
    String path = System.getenv("PATH");
    return path != null && java.util.Arrays.stream(path.split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }

  /** bench/gateway-events.lua in the repository (SPENDSTREAM_HOME), or next to the working directory. */
  private static Path locateScript() {
    Path p = Path.of(System.getenv().getOrDefault("SPENDSTREAM_HOME", "."), "bench", "gateway-events.lua").toAbsolutePath();
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException("cannot find " + p + "; run the benchmark with ./spendstream from the repository");
    }
    return p;
  }

  /** The same kind of records through a bare producer with the gateway's producer settings. */
  private static double bare(String bootstrap, String registryUrl, String topic, List<LlmCall> records) {
    Map<String, Object> cfg = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryClientConfig.of(registryUrl));
    try (KafkaProducer<String, LlmCall> p = new KafkaProducer<>(cfg, new StringSerializer(),
        new AvroSerializer<>(registry, false, true))) {
      for (int i = 0; i < Math.min(20_000, records.size()); i++) {
        p.send(new ProducerRecord<>(topic, CallKeys.of(records.get(i)), records.get(i))); // warm-up
      }
      p.flush();
      long t0 = System.nanoTime();
      for (LlmCall r : records) {
        p.send(new ProducerRecord<>(topic, CallKeys.of(r), r));
      }
      p.flush();
      return records.size() / ((System.nanoTime() - t0) / 1e9);
    }
  }
}
