package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.infra.process.ChildLogging;
import io.spendstream.infra.process.HttpProbe;
import io.spendstream.infra.process.JavaProcess;
import io.spendstream.infra.process.Ports;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.ingest.auth.KeysFileEditor;
import io.spendstream.schemas.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as `up` runs it (512 MiB heap, default limits) under parallel worst-case requests: the largest
 * bodies of every shape it accepts, from 8 tenants at once, as fast as 8 connections can send them. It must never run
 * out of memory (it would exit: -XX:+ExitOnOutOfMemoryError), answer every request with a status of its own,
 * and still accept another tenant's event afterwards. The heap it used is measured and written to
 * target/gateway-memory.txt.
 */
@ExtendWith(RealInfraExtension.class)
class GatewayMemoryIT {
  private static final long HEAP = 512L << 20;
  private static final int MAX_BODY = 5 * 1024 * 1024;
  @TempDir Path dir;

  @Test
  void parallelWorstCaseRequestsAtTheDefaultLimitsNeverExhaustTheHeap(KafkaEndpoint kafka, RegistryEndpoint registry)
      throws Exception {
    Path keys = dir.resolve("keys.yaml");
    List<String> hostile = new ArrayList<>(); // one tenant per connection: the global budget is what is tested
    for (int t = 0; t < 8; t++) {
      hostile.add(KeysFileEditor.addKey(keys, "hostile-" + t));
    }
    String normal = KeysFileEditor.addKey(keys, "normal");
    Map<String, String> alone = new java.util.HashMap<>(); // a fresh tenant (and rate-limit bucket) per shape for the check after
    for (String shape : List.of("events-array", "ndjson", "cloudevents-batch", "otlp-json", "otlp-protobuf", "otlp-logs-json",
        "otlp-logs-protobuf", "otlp-metrics-json", "otlp-metrics-protobuf")) {
      alone.put(shape, KeysFileEditor.addKey(keys, "alone-" + shape));
    }
    int port = Ports.ephemeral();
    int ops = Ports.ephemeral();
    String topic = "memory-it-" + UUID.randomUUID();
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(new TopicSpec(topic, 3, Duration.ofDays(1))));
    Map<String, byte[]> bodies = worstCases();
    Map<String, String> types = Map.of("events-array", "application/json", "ndjson", "application/x-ndjson",
        "cloudevents-batch", "application/cloudevents-batch+json", "otlp-json", "application/json",
        "otlp-protobuf", "application/x-protobuf", "otlp-logs-json", "application/json", "otlp-logs-protobuf",
        "application/x-protobuf", "otlp-metrics-json", "application/json", "otlp-metrics-protobuf", "application/x-protobuf");
    Map<String, String> paths = Map.of("events-array", "/v1/events", "ndjson", "/v1/events", "cloudevents-batch",
        "/v1/cloudevents", "otlp-json", "/v1/otlp/v1/traces", "otlp-protobuf", "/v1/otlp/v1/traces", "otlp-logs-json",
        "/v1/logs", "otlp-logs-protobuf", "/v1/logs", "otlp-metrics-json", "/v1/metrics", "otlp-metrics-protobuf",
        "/v1/metrics");
    try (JavaProcess gateway = JavaProcess.start("gateway", dir, List.of("-Xmx" + (HEAP >> 20) + "m",
        "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", ChildLogging.jvmArg(dir), "-cp",
        ChildLogging.classpath()), List.of(SpendstreamCli.class.getName(), "gateway", "--port", String.valueOf(port), "--grpc-port", "0",
        "--ops-port", String.valueOf(ops), "--keys", keys.toString(), "--kafka", kafka.bootstrapServers(), "--registry",
        registry.url(), "--topic", topic), dir.resolve("gateway.log"))) {
      gateway.awaitReady(() -> HttpProbe.ok("http://127.0.0.1:" + port + "/readyz"), Duration.ofSeconds(60));
      Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
      AtomicLong maxHeap = new AtomicLong();
      AtomicLong maxLive = new AtomicLong();
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      List<Thread> clients = new ArrayList<>();
      List<String> shapes = List.copyOf(bodies.keySet());
      for (int c = 0; c < Integer.getInteger("memit.connections", 8); c++) {
        int first = c;
        clients.add(Thread.ofPlatform().start(() -> {
          try (HttpClient http = HttpClient.newHttpClient()) {
            for (int i = first; System.nanoTime() < until; i++) {
              String shape = shapes.get(i % shapes.size());
              String outcome;
              try {
                outcome = String.valueOf(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + paths.get(shape)))
                    .header("Authorization", "Bearer " + hostile.get(first)).header("Content-Type", types.get(shape))
                    .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(shape))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode());
              } catch (java.io.IOException e) {
                outcome = "io:" + e.getClass().getSimpleName();
              }
              statuses.computeIfAbsent(shape + " " + outcome, k -> new AtomicLong()).incrementAndGet();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }));
      }
      while (clients.stream().anyMatch(Thread::isAlive)) {
        String metrics = HttpProbe.body("http://127.0.0.1:" + ops + "/metrics").orElse("");
        maxHeap.accumulateAndGet(sum(metrics, "jvm_memory_used_bytes{", "area=\"heap\""), Math::max);
        maxLive.accumulateAndGet(sum(metrics, "jvm_gc_live_data_size_bytes", ""), Math::max);
        Thread.sleep(100);
      }
      for (Thread t : clients) {
        t.join();
      }
      String report = "gateway heap " + (HEAP >> 20) + " MiB, " + clients.size() + " connections, 20 s of 5 MiB worst-case"
          + " bodies: max heap used " + (maxHeap.get() >> 20) + " MiB (garbage included), max live after GC "
          + (maxLive.get() >> 20) + " MiB; answers " + new TreeMap<>(statuses);
      System.out.println(report);
      Files.writeString(Path.of("target", "gateway-memory.txt"), report + "\n");
      Files.copy(dir.resolve("gateway.log"), Path.of("target", "gateway-memory-it.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      assertThat(gateway.isAlive()).as("the gateway ran out of memory and exited: " + report).isTrue();
      assertThat(statuses.keySet()).as(report).allMatch(k -> k.endsWith(" 200") || k.endsWith(" 202") || k.endsWith(" 400")
          || k.endsWith(" 413") || k.endsWith(" 429") || k.endsWith(" 503"));
      // after the flood, each worst-case body alone is read and answered for what it is (OTLP spans without a model:
      // 400), not only refused: under the flood one shape can lose every race for the global budget (CI saw 126 of 126
      // CloudEvents batches answered 503), so that is checked here, where no other request competes
      try (HttpClient http = HttpClient.newHttpClient()) {
        for (String shape : shapes) {
          int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + paths.get(shape)))
              .header("Authorization", "Bearer " + alone.get(shape)).header("Content-Type", types.get(shape))
              .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(shape))).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
          assertThat(status).as(shape + " alone after the flood; " + report).isIn(200, 202, 400);
        }
      }
      // G1's old generation after a collection still holds floating garbage, so this is an upper bound of the live
      // set (255-370 MiB in runs here); what must hold is that it never reaches the heap
      assertThat(maxLive.get()).as("live heap after GC: " + report).isLessThan(HEAP * 9 / 10);
      HttpResponse<String> ok;
      try (HttpClient http = HttpClient.newHttpClient()) {
        ok = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
            .header("Authorization", "Bearer " + normal).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(event("normal-1", 0).toString())).build(), HttpResponse.BodyHandlers.ofString());
      }
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
    }
  }

  /** The sum of a Prometheus metric's series whose line contains {@code filter}. */
  private static long sum(String metrics, String name, String filter) {
    return metrics.lines().filter(l -> l.startsWith(name) && l.contains(filter))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** A valid event padded with attributes to about {@code size} bytes. */
  private static ObjectNode event(String id, int pad) {
    ObjectNode e = Json.MAPPER.createObjectNode().put("event_id", id).put("timestamp", Instant.now().toString())
        .put("model", "claude-haiku-4-5").put("route", "/r").put("latency_ms", 5).put("status_code", 200);
    e.putObject("usage").put("input_tokens", 1).put("output_tokens", 1);
    ObjectNode attrs = e.putObject("attributes");
    for (int i = 0; i < pad; i++) {
      attrs.put("k" + i, "v".repeat(20));
    }
    return e;
  }

  /** The largest bodies of each shape the default limits accept (5 MiB, 10,000 events, 128 attributes). */
  private static Map<String, byte[]> worstCases() {
    Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    // many small objects per event: 10,000 events of ~500 bytes each with 12 attributes
    StringBuilder array = new StringBuilder("[");
    StringBuilder nd = new StringBuilder();
    StringBuilder ce = new StringBuilder("[");
    for (int i = 0; i < 10_000 && array.length() < MAX_BODY - 2_000; i++) {
      String e = event("m-" + i, 12).toString();
      array.append(i == 0 ? "" : ",").append(e);
      nd.append(e).append('\n');
      ObjectNode cloudEvent = Json.MAPPER.createObjectNode().put("specversion", "1.0").put("id", "ce-" + i).put("source", "/m")
          .put("type", "llm.call");
      cloudEvent.set("data", event("ce-" + i, 11).without("event_id"));
      if (ce.length() < MAX_BODY - 4_000) {
        ce.append(i == 0 ? "" : ",").append(cloudEvent);
      }
    }
    out.put("events-array", array.append(']').toString().getBytes(StandardCharsets.UTF_8));
    out.put("ndjson", nd.toString().getBytes(StandardCharsets.UTF_8));
    out.put("cloudevents-batch", ce.append(']').toString().getBytes(StandardCharsets.UTF_8));
    // OTLP: spans of 128 attributes each, as many as fit in 5 MiB
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    // and log records with the same attributes, each named a Claude Code API request without a model: every one is
    // mapped and rejected with its reason (the longest answer a log export can get)
    io.opentelemetry.proto.logs.v1.ScopeLogs.Builder logs = io.opentelemetry.proto.logs.v1.ScopeLogs.newBuilder();
    StringBuilder json = new StringBuilder("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[");
    int spans = 0;
    while (json.length() < MAX_BODY - 10_000) {
      Span.Builder s = Span.newBuilder();
      json.append(spans == 0 ? "" : ",").append("{\"attributes\":[");
      for (int a = 0; a < 128; a++) {
        s.addAttributes(KeyValue.newBuilder().setKey("gen_ai.x" + a).setValue(AnyValue.newBuilder().setStringValue("v" + a)));
        json.append(a == 0 ? "" : ",").append("{\"key\":\"gen_ai.x").append(a).append("\",\"value\":{\"stringValue\":\"v")
            .append(a).append("\"}}");
      }
      json.append("]}");
      scope.addSpans(s);
      logs.addLogRecords(io.opentelemetry.proto.logs.v1.LogRecord.newBuilder().setBody(AnyValue.newBuilder()
          .setStringValue("claude_code.api_request")).addAllAttributes(s.getAttributesList()));
      spans++;
    }
    out.put("otlp-json", json.append("]}]}]}").toString().getBytes(StandardCharsets.UTF_8));
    // the same records in the logs encoding, as many as fit (each carries a body besides the span's attributes)
    String record = json.substring(json.indexOf("{\"attributes\":["), json.indexOf("]}", json.indexOf("{\"attributes\":[")) + 2)
        .replace("{\"attributes\":[", "{\"body\":{\"stringValue\":\"claude_code.api_request\"},\"attributes\":[");
    StringBuilder logsJson = new StringBuilder("{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[");
    for (int i = 0; logsJson.length() + record.length() < MAX_BODY - 100; i++) {
      logsJson.append(i == 0 ? "" : ",").append(record);
    }
    out.put("otlp-logs-json", logsJson.append("]}]}]}").toString().getBytes(StandardCharsets.UTF_8));
    byte[] logsProto = io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(io.opentelemetry.proto.logs.v1.ResourceLogs.newBuilder().addScopeLogs(logs)).build().toByteArray();
    out.put("otlp-logs-protobuf", logsProto.length <= MAX_BODY ? logsProto : java.util.Arrays.copyOf(logsProto, 0));
    // and Claude Code cost points with the same attributes but no session.id: every one is read and rejected
    io.opentelemetry.proto.metrics.v1.Sum.Builder sum = io.opentelemetry.proto.metrics.v1.Sum.newBuilder()
        .setAggregationTemporality(io.opentelemetry.proto.metrics.v1.AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
    for (Span.Builder s : scope.getSpansBuilderList()) {
      sum.addDataPoints(io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder().setAsDouble(0.01)
          .setTimeUnixNano(1).addAllAttributes(s.getAttributesList()));
    }
    byte[] metricsProto = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
            .addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
                .addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder().setName("claude_code.cost.usage").setSum(sum))))
        .build().toByteArray();
    out.put("otlp-metrics-protobuf", metricsProto.length <= MAX_BODY ? metricsProto : java.util.Arrays.copyOf(metricsProto, 0));
    String point = record.replace("{\"body\":{\"stringValue\":\"claude_code.api_request\"},\"attributes\":[",
        "{\"asDouble\":0.01,\"timeUnixNano\":\"1\",\"attributes\":[");
    StringBuilder metricsJson = new StringBuilder("{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"name\":"
        + "\"claude_code.cost.usage\",\"sum\":{\"aggregationTemporality\":1,\"dataPoints\":[");
    for (int i = 0; metricsJson.length() + point.length() < MAX_BODY - 100; i++) {
      metricsJson.append(i == 0 ? "" : ",").append(point);
    }
    out.put("otlp-metrics-json", metricsJson.append("]}}]}]}]}").toString().getBytes(StandardCharsets.UTF_8));
    byte[] proto = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope))
        .build().toByteArray();
    out.put("otlp-protobuf", proto.length <= MAX_BODY ? proto : java.util.Arrays.copyOf(proto, 0));
    out.values().forEach(b -> assertThat(b.length).isLessThanOrEqualTo(MAX_BODY));
    return out;
  }
}
