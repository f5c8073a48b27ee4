package io.spendstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.infra.process.ChildLogging;
import io.spendstream.infra.process.HttpProbe;
import io.spendstream.infra.process.JavaProcess;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.CallKeys;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.json.LlmCallJson;
import io.spendstream.schemas.json.ParseOptions;
import io.spendstream.schemas.json.ParseResult;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.schemas.AlertGroups;
import io.spendstream.schemas.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The processor on the real broker and registry: what the gateway writes comes out priced, windowed and alerted. */
@ExtendWith(RealInfraExtension.class)
class StreamProcessorIT {
  private static final int PARTITIONS = 3;
  @TempDir Path dir;

  static LlmCall parse(String json) {
    return switch (LlmCallJson.parse(json, ParseOptions.offline())) {
      case ParseResult.Valid v -> v.call();
      case ParseResult.Invalid i -> throw new AssertionError(i.errors().toString());
    };
  }

  static String event(String id, Instant at, String tenant, String model, String route, int in, int out, String extra) {
    return "{\"event_id\":\"" + id + "\",\"timestamp\":\"" + at + "\",\"tenant_id\":\"" + tenant + "\",\"model\":\"" + model
        + "\",\"route\":\"" + route + "\",\"latency_ms\":300,\"status_code\":200,\"usage\":{\"input_tokens\":" + in
        + ",\"output_tokens\":" + out + "}" + extra + "}";
  }

  /**
   * Calls with event ids chosen so that every partition of the calls topic (and so every shard of the priced
   * topic) sees one: stream time moves everywhere.
   */
  static List<LlmCall> clockTicks(Instant at) {
    List<LlmCall> ticks = new ArrayList<>();
    Set<Integer> covered = new HashSet<>();
    for (int i = 0; covered.size() < PARTITIONS; i++) {
      LlmCall c = parse(event("tick-" + at.toEpochMilli() + "-" + i, at, "clock", "claude-haiku-4-5", "/tick" + i, 1, 1, ""));
      byte[] key = CallKeys.bytes(c);
      if (covered.add(Utils.toPositive(Utils.murmur2(key)) % PARTITIONS)) {
        ticks.add(c);
      }
    }
    return ticks;
  }

  private static ProcessorSettings settings(KafkaIo io, String registryUrl, Path stateDir, String appId) {
    return new ProcessorSettings(io.bootstrap, registryUrl, appId, stateDir, 1, "exactly_once_v2",
        Duration.ofMillis(100), -1, "127.0.0.1", 0, io.topics, ProcessorConfig.defaults(), PriceCatalogLoader.defaults());
  }

  @Test
  void gatewayFormatEventsComeOutPricedWindowedAndAlerted(KafkaEndpoint kafka, RegistryEndpoint registry) throws Exception {
    ProcessorTopics topics = ProcessorTopics.withSuffix("." + UUID.randomUUID());
    // three hours back, on the hour: the clock ticks below (t0 + 2 h 10 min) stay in the past
    Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(3));
    try (KafkaIo io = new KafkaIo(kafka.bootstrapServers(), registry.url(), topics, PARTITIONS);
         StreamProcessor p = StreamProcessor.start(settings(io, registry.url(), dir.resolve("state"), "it-" + UUID.randomUUID()))) {
      assertThat(HttpProbe.ok("http://127.0.0.1:" + p.port() + "/healthz")).isTrue();
      for (int i = 0; i < 20; i++) {
        io.send(parse(event("acme-" + i, t0.plusSeconds(i), "acme", "claude-sonnet-4-6", "/chat", 1000, 100, "")));
      }
      io.send(parse(event("acme-3", t0.plusSeconds(3), "acme", "claude-sonnet-4-6", "/chat", 1000, 999, ""))); // a retry of acme-3
      for (int i = 0; i < 7; i++) { // keyed by event_id: spread over partitions, re-keyed onto one by the processor
        io.sendByEventId(parse(event("storm-" + i, t0.plusSeconds(30 + i), "beta", "claude-sonnet-4-6", "/agent", 5000, 0,
            ",\"prompt_hash\":\"3f9a0c1d2e4b5a69\",\"error_type\":\"overloaded_error\"")));
      }
      io.send(parse(event("new-model", t0.plusSeconds(40), "acme", "claude-next-1", "/chat", 10, 10, "")));
      // the wire format with a schema id the registry has never given out (a small id may be taken by another test)
      io.sendRaw("poison".getBytes(StandardCharsets.UTF_8), java.nio.ByteBuffer.allocate(12).put((byte) 0)
          .putInt(Integer.MAX_VALUE).put("garbage".getBytes(StandardCharsets.UTF_8)).array());
      io.flush();
      // event time only moves forward once every call is priced: a tick priced earlier on another partition
      // would make the rest too late for their windows (which is what too-late means)
      assertThat(io.read(topics.priced(), PricedCall.class, l -> l.size() >= 28, Duration.ofSeconds(60))).hasSize(28);
      // hours are released with the first minute after them: a second round lets the first round's minute close
      List<LlmCall> tickCalls = new ArrayList<>(clockTicks(t0.plus(Duration.ofHours(2))));
      tickCalls.addAll(clockTicks(t0.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(10))));
      tickCalls.forEach(io::send);
      io.flush();

      int ticks = tickCalls.size();
      List<ConsumerRecord<byte[], PricedCall>> priced = io.read(topics.priced(), PricedCall.class,
          l -> l.size() >= 28 + ticks, Duration.ofSeconds(60));
      assertThat(priced).hasSize(28 + ticks);
      assertThat(priced.stream().filter(r -> r.value().getCall().getEventId().equals("acme-3")))
          .singleElement().satisfies(r -> assertThat(r.value().getCall().getOutputTokens()).isEqualTo(100));

      // a window's total is the sum of its shards (one final record per shard that saw calls)
      List<ConsumerRecord<byte[], CostWindow>> windows = io.read(topics.windows(), CostWindow.class,
          l -> calls(l, 60_000) == 28 && calls(l, 3_600_000) == 28, Duration.ofSeconds(60));
      Map<String, long[]> byDimension = new HashMap<>();
      Set<String> shardWindows = new HashSet<>();
      for (var rec : windows) {
        CostWindow w = rec.value();
        if (w.getTenantId().equals("clock")) {
          continue;
        }
        String k = w.getTenantId() + "/" + w.getModel() + "/" + w.getWindowSizeMs();
        assertThat(shardWindows.add(k + "/" + w.getWindowStart() + "/" + w.getShard())).as("once per shard: " + k).isTrue();
        long[] sums = byDimension.computeIfAbsent(k, x -> new long[2]);
        sums[0] += w.getCalls();
        sums[1] += w.getCostNanos();
      }
      assertThat(byDimension).containsOnlyKeys("acme/claude-sonnet-4-6/60000", "acme/claude-sonnet-4-6/3600000",
          "beta/claude-sonnet-4-6/60000", "beta/claude-sonnet-4-6/3600000", "acme/claude-next-1/60000",
          "acme/claude-next-1/3600000");
      assertThat(byDimension.get("acme/claude-sonnet-4-6/60000")).containsExactly(20, 20 * TestCalls.DEFAULT_COST);
      assertThat(byDimension.get("acme/claude-sonnet-4-6/3600000")).containsExactly(20, 20 * TestCalls.DEFAULT_COST);
      assertThat(byDimension.get("beta/claude-sonnet-4-6/60000")[0]).isEqualTo(7);

      // beta's /agent route had 7 calls and no success: the catalogue's outage alert (NO_SUCCESS) comes with the storm
      List<ConsumerRecord<byte[], Alert>> alerts = io.read(topics.alerts(), Alert.class, l -> l.size() >= 3,
          Duration.ofSeconds(30));
      assertThat(alerts).extracting(r -> r.value().getType()).containsExactlyInAnyOrder(AlertType.RETRY_STORM,
          AlertType.UNPRICED_MODEL, AlertType.NO_SUCCESS);
      assertThat(alerts).map(ConsumerRecord::value).filteredOn(a -> a.getType() == AlertType.NO_SUCCESS).singleElement()
          .satisfies(a -> assertThat(a.getTenantId() + " " + a.getDimensionValue()).isEqualTo("beta /agent"));
      Alert storm = alerts.stream().map(ConsumerRecord::value).filter(a -> a.getType() == AlertType.RETRY_STORM).findFirst()
          .orElseThrow();
      // the 7 calls reach the detector through 3 partitions, so the 6th to arrive may be the one at :35 or :36
      assertThat(storm.getDetectedAt()).isBetween(t0.plusSeconds(35), t0.plusSeconds(36));
      assertThat(storm.getObservedValue()).isEqualTo(6);
      assertThat(new String(alerts.get(0).key(), StandardCharsets.UTF_8)).as("alerts are keyed by their group")
          .isEqualTo(AlertGroups.keyOf(alerts.get(0).value()));

      List<ConsumerRecord<byte[], byte[]>> dead = io.readRaw(topics.callsDlq(), 1, Duration.ofSeconds(30));
      assertThat(dead).hasSize(1);
      assertThat(new String(dead.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
          .startsWith("unknown_schema_id");
    }
  }

  /**
   * A backfill of calls as old as the gateway takes (7 days), killed mid-stream: the open windows are in compacted
   * stores, so a restart without the state dir restores all of them whatever the calls' event time. (Live calls with
   * a restart on the same state dir: the reliability suite's kill-processor scenario.)
   */
  @Test
  void killedMidStreamAndRestartedItCountsEveryCallOnceToTheNano(KafkaEndpoint kafka, RegistryEndpoint registry)
      throws Exception {
    int hoursOld = 7 * 24 - 1;
    ProcessorTopics topics = ProcessorTopics.withSuffix("." + UUID.randomUUID());
    String suffix = topics.calls().substring(topics.calls().indexOf(".v1") + 3);
    String appId = "crash-" + UUID.randomUUID();
    Pricer pricer = new Pricer(PriceCatalogLoader.defaults());
    Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(hoursOld));
    Random r = new Random(5);
    int n = 30_000;
    Map<String, Long> expectedByMinute = new HashMap<>();
    long expectedTotal = 0;
    try (KafkaIo io = new KafkaIo(kafka.bootstrapServers(), registry.url(), topics, PARTITIONS)) {
      for (int i = 0; i < n; i++) {
        String tenant = "t" + r.nextInt(4);
        String model = r.nextBoolean() ? "claude-haiku-4-5" : "claude-opus-4-7";
        Instant at = t0.plusMillis(i * 100L + r.nextInt(3000)); // ~50 minutes, slightly out of order
        LlmCall c = parse(event("c" + i, at, tenant, model, "/r" + r.nextInt(3), 100 + r.nextInt(20_000), r.nextInt(3000), ""));
        PricedCall p = pricer.price(c);
        expectedTotal += p.getCostNanos();
        expectedByMinute.merge(DimensionKeys.tenantModelRoute(c) + "@" + (at.toEpochMilli() / 60_000), p.getCostNanos(), Long::sum);
        io.send(c);
        if (i % 10 == 0) {
          io.send(c); // a duplicate the gateway would have let through
        }
      }
      io.flush();
      List<String> cmd = List.of("-Xmx512m", "--enable-native-access=ALL-UNNAMED", ChildLogging.jvmArg(dir), "-cp",
          ChildLogging.classpath(), StreamProcessorMain.class.getName(), "--kafka", io.bootstrap, "--registry",
          registry.url(), "--application-id", appId, "--topics-suffix", suffix);
      List<String> first = new ArrayList<>(cmd);
      first.addAll(List.of("--state-dir", dir.resolve("state-1").toString()));
      JavaProcess one = JavaProcess.start("processor-1", dir, List.of(), first, dir.resolve("processor-1.log"));
      // kill -9 once a good part of the input has been priced
      List<ConsumerRecord<byte[], PricedCall>> seen = io.read(topics.priced(), PricedCall.class, l -> l.size() >= n / 3,
          Duration.ofSeconds(120));
      assertThat(seen.size()).as("processed before the kill").isGreaterThanOrEqualTo(n / 3);
      ProcessHandle.of(one.pid()).orElseThrow().destroyForcibly();
      assertThat(one.waitFor(Duration.ofSeconds(20))).isTrue();

      // a fresh state dir: the second instance restores its state from the changelogs
      List<String> second = new ArrayList<>(cmd);
      second.addAll(List.of("--state-dir", dir.resolve("state-2").toString()));
      try (JavaProcess two = JavaProcess.start("processor-2", dir, List.of(), second, dir.resolve("processor-2.log"))) {
        assertThat(io.read(topics.priced(), PricedCall.class, l -> l.size() >= n, Duration.ofSeconds(300))).hasSize(n);
        List<LlmCall> tickCalls = new ArrayList<>(clockTicks(t0.plus(Duration.ofHours(3))));
        tickCalls.addAll(clockTicks(t0.plus(Duration.ofHours(3)).plus(Duration.ofMinutes(10))));
        tickCalls.forEach(io::send);
        io.flush();
        int ticks = tickCalls.size();
        List<ConsumerRecord<byte[], PricedCall>> priced = io.read(topics.priced(), PricedCall.class,
            l -> l.size() >= n + ticks, Duration.ofSeconds(180));
        Set<String> ids = new HashSet<>();
        long total = 0;
        for (var rec : priced) {
          assertThat(ids.add(rec.value().getCall().getEventId())).as("priced once: " + rec.value().getCall().getEventId()).isTrue();
          total += rec.value().getCostNanos();
        }
        assertThat(priced).hasSize(n + ticks);
        long ticksCost = ticks * 6_000L; // 1 input + 1 output token of haiku: 1,000 + 5,000 nano-USD
        assertThat(total).isEqualTo(expectedTotal + ticksCost);

        List<ConsumerRecord<byte[], CostWindow>> windows = io.read(topics.windows(), CostWindow.class,
            l -> calls(l, 60_000) >= n && calls(l, 3_600_000) >= n, Duration.ofSeconds(180));
        // a shortfall says where calls went missing: the processors' warnings and processor-2's window counters
        assertThat(calls(windows, 60_000)).as(() -> "calls in final minute windows after 180 s\n" + diagnostics())
            .isEqualTo(n);
        Map<String, Long> actual = new HashMap<>();
        Set<String> shardWindows = new HashSet<>();
        for (CostWindow w : minuteWindows(windows)) {
          String k = w.getTenantId() + "|" + w.getModel() + "|" + w.getRoute() + "@" + (w.getWindowStart().toEpochMilli() / 60_000);
          assertThat(shardWindows.add(k + "#" + w.getShard())).as("one final record per window and shard: " + k).isTrue();
          actual.merge(k, w.getCostNanos(), Long::sum);
        }
        List<String> wrong = expectedByMinute.keySet().stream().filter(k -> !expectedByMinute.get(k).equals(actual.get(k)))
            .map(k -> k + " expected " + expectedByMinute.get(k) + " got " + actual.get(k)).sorted().toList();
        assertThat(wrong).as(() -> "minute windows that differ from the raw sums\n" + diagnostics()).isEmpty();
        assertThat(actual.keySet()).isEqualTo(expectedByMinute.keySet());
        long hourSum = windows.stream().map(ConsumerRecord::value).filter(w -> w.getWindowSizeMs() == 3_600_000
            && !w.getTenantId().equals("clock")).mapToLong(CostWindow::getCostNanos).sum();
        assertThat(hourSum).isEqualTo(expectedTotal);
      }
    }
  }

  /** The child processors' warnings and errors, and processor-2's window counters (too late, late partials). */
  private String diagnostics() {
    StringBuilder b = new StringBuilder();
    for (String name : List.of("processor-1", "processor-2")) {
      Path log = dir.resolve(name + ".log");
      try {
        List<String> lines = Files.readAllLines(log);
        b.append(name).append(".log, ").append(lines.size()).append(" lines; warnings and errors:\n");
        lines.stream().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")).limit(40)
            .forEach(l -> b.append("  ").append(l, 0, Math.min(l.length(), 400)).append('\n'));
        if (name.equals("processor-2")) {
          java.util.regex.Matcher port = java.util.regex.Pattern.compile("http_port=(\\d+)").matcher(String.join("\n", lines));
          if (port.find()) {
            try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
              String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                  + port.group(1) + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
              metrics.lines().filter(l -> !l.startsWith("#") && (l.contains("too_late") || l.contains("late_partial")
                  || l.contains("dead_lettered") || l.contains("priced "))).forEach(l -> b.append("  ").append(l).append('\n'));
            }
          }
        }
      } catch (Exception e) {
        b.append(name).append(": ").append(e).append('\n');
      }
    }
    return b.toString();
  }

  private static long calls(List<ConsumerRecord<byte[], CostWindow>> l, long sizeMs) {
    return l.stream().map(ConsumerRecord::value).filter(w -> w.getWindowSizeMs() == sizeMs && !w.getTenantId().equals("clock"))
        .mapToLong(CostWindow::getCalls).sum();
  }

  private static List<CostWindow> minuteWindows(List<ConsumerRecord<byte[], CostWindow>> l) {
    return l.stream().map(ConsumerRecord::value).filter(w -> w.getWindowSizeMs() == 60_000 && !w.getTenantId().equals("clock"))
        .toList();
  }
}
