package io.spendstream.cli.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.ingest.GatewayConfig;
import io.spendstream.ingest.IngestGateway;
import io.spendstream.ingest.auth.ApiKeys;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.json.Json;
import io.spendstream.schemas.json.LlmCallJson;
import io.spendstream.schemas.json.ParseOptions;
import io.spendstream.schemas.json.ParseResult;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerializer;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Events/s acknowledged end to end through the gateway (HTTP batches of realistic events, JSON parsing,
 * validation, Avro, Kafka acks) against, in the same run, a bare Kafka producer writing the same Avro
 * records with the same producer settings.
 */
public final class GatewayBenchmark {
  /** The measured figures. */
  public record Result(long events, double gatewayEventsPerSecond, double bareEventsPerSecond, long p50Micros,
      long p99Micros, long heapUsedBytes, long heapMaxBytes) {
    public double ratio() {
      return gatewayEventsPerSecond / bareEventsPerSecond;
    }
  }

  private GatewayBenchmark() {}

  public static Result run(String bootstrap, String registryUrl, Path workDir, int events, int batch, int clients,
      PrintWriter out) throws Exception {
    String topic = "bench-" + UUID.randomUUID();
    KafkaTopics.ensure(bootstrap, List.of(new TopicSpec(topic, 3, Duration.ofDays(30))));
    String key = ApiKeys.generate();
    Path keys = workDir.resolve("bench-keys.yaml");
    StringBuilder yaml = new StringBuilder("tenants:\n");
    CallGenerator gen = new CallGenerator(42);
    for (int t = 0; t < 5; t++) {
      yaml.append("  - id: ").append(gen.tenant(t)).append("\n    keys: [\"").append(ApiKeys.hash(key + t)).append("\"]\n");
    }
    Files.writeString(keys, yaml);

    out.printf("generating %,d events in batches of %d ...%n", events, batch);
    out.flush();
    List<byte[]> bodies = new ArrayList<>();
    List<Integer> bodyTenant = new ArrayList<>();
    List<LlmCall> records = new ArrayList<>(events);
    Instant now = Instant.now();
    for (int b = 0; b * batch < events; b++) {
      int tenant = b % 5;
      ArrayNode arr = Json.MAPPER.createArrayNode();
      for (int i = 0; i < batch && b * batch + i < events; i++) {
        ObjectNode e = gen.next(gen.tenant(tenant), now.minusMillis(events - (long) b * batch - i));
        arr.add(e);
        records.add(((ParseResult.Valid) LlmCallJson.parse(e, ParseOptions.offline())).call());
      }
      bodies.add(Json.MAPPER.writeValueAsBytes(arr));
      bodyTenant.add(tenant);
    }
    out.printf("average request body %,d bytes%n", bodies.stream().mapToInt(x -> x.length).sum() / bodies.size());

    GatewayConfig d = GatewayConfig.defaults(0, keys, bootstrap, registryUrl);
    GatewayConfig c = new GatewayConfig(d.host(), 0, keys, bootstrap, registryUrl, topic, d.maxBodyBytes(), d.maxBatchEvents(),
        d.maxInFlightBytes(), d.produceTimeout(), 10_000_000, d.maxEventAge(), d.maxEventFuture(), d.shutdownGrace());
    double gatewayRate;
    long[] latencies = new long[bodies.size()];
    try (IngestGateway gw = IngestGateway.start(c); HttpClient http = HttpClient.newHttpClient()) {
      URI uri = URI.create("http://127.0.0.1:" + gw.port() + "/v1/events");
      // warm-up with distinct event ids (fresh generator), not timed
      postAll(http, uri, warmup(gen, batch, now), List.of(0, 1, 2, 3, 4), key, clients, new long[5]);
      long t0 = System.nanoTime();
      int acked = postAll(http, uri, bodies, bodyTenant, key, clients, latencies);
      gatewayRate = acked / ((System.nanoTime() - t0) / 1e9);
      if (acked != events) {
        throw new IllegalStateException("gateway acknowledged " + acked + " of " + events + " events");
      }
    }
    System.gc();
    long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long heapMax = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax();

    double bareRate = bare(bootstrap, registryUrl, topic, records);
    Arrays.sort(latencies);
    return new Result(events, gatewayRate, bareRate, latencies[latencies.length / 2] / 1000,
        latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)] / 1000, heapUsed, heapMax);
  }

  private static List<byte[]> warmup(CallGenerator gen, int batch, Instant now) throws Exception {
    List<byte[]> w = new ArrayList<>();
    for (int b = 0; b < 5; b++) {
      ArrayNode arr = Json.MAPPER.createArrayNode();
      for (int i = 0; i < batch; i++) {
        arr.add(gen.next(gen.tenant(b), now));
      }
      w.add(Json.MAPPER.writeValueAsBytes(arr));
    }
    return w;
  }

  private static int postAll(HttpClient http, URI uri, List<byte[]> bodies, List<Integer> tenants, String key, int clients,
      long[] latencies) throws Exception {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger acked = new AtomicInteger();
    try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < clients; w++) {
        fs.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key + tenants.get(i))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(), HttpResponse.BodyHandlers.ofString());
            latencies[i] = System.nanoTime() - t0;
            if (r.statusCode() != 202) {
              throw new IllegalStateException("gateway answered " + r.statusCode() + ": " + r.body());
            }
            acked.addAndGet(Json.MAPPER.readTree(r.body()).get("accepted").asInt());
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    }
    return acked.get();
  }

  /** The same records through a bare producer with the gateway's producer settings. */
  private static double bare(String bootstrap, String registryUrl, String topic, List<LlmCall> records) {
    Map<String, Object> cfg = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryClientConfig.of(registryUrl));
    try (KafkaProducer<String, LlmCall> p = new KafkaProducer<>(cfg, new StringSerializer(),
        new AvroSerializer<>(registry, false, true))) {
      for (int i = 0; i < Math.min(10_000, records.size()); i++) {
        p.send(new ProducerRecord<>(topic, records.get(i).getEventId(), records.get(i))); // warm-up
      }
      p.flush();
      long t0 = System.nanoTime();
      for (LlmCall r : records) {
        p.send(new ProducerRecord<>(topic, r.getEventId(), r));
      }
      p.flush();
      return records.size() / ((System.nanoTime() - t0) / 1e9);
    }
  }
}
