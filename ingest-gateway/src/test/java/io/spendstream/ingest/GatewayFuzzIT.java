package io.spendstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.ingest.auth.ApiKeys;
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
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 12,000 malformed or hostile requests (random bytes, wrong types, deep nesting, huge numbers, unicode
 * and control characters, truncated bodies, wrong media types, missing keys, oversized bodies), from a
 * fixed seed: every answer must be a 4xx and the gateway must stay healthy; and 1,200 more for the OTLP and
 * CloudEvents endpoints at the default limits.
 */
@ExtendWith(RealInfraExtension.class)
class GatewayFuzzIT {
  private static final int REQUESTS = 12_000;
  private static final String KEY = ApiKeys.generate();
  private static final String[] FIELDS = {"event_id", "timestamp", "tenant_id", "provider", "model", "route", "feature",
      "prompt_hash", "prompt", "usage", "input_tokens", "output_tokens", "cache_read_input_tokens",
      "cache_creation_input_tokens", "cache_creation", "service_tier", "latency_ms", "ttft_ms", "status_code", "attributes"};
  private static final String[] HOSTILE_VALUES = {"null", "true", "-1", "1e308", "-0", "1.5", "99999999999999999999999999",
      "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"" + "x".repeat(3000) + "\"", "[]", "{}", "[[[[[]]]]]", "\"\\u202e\\u0301ꙮ\"",
      "\"1970-01-01T00:00:00Z\"", "\"2999-01-01T00:00:00Z\"", "\"../../etc/passwd\"", "{\"$ne\":1}", "\"' OR 1=1 --\""};

  @TempDir Path dir;

  @Test
  void everyHostileRequestGets4xxAndTheGatewaySurvives(KafkaEndpoint kafka, RegistryEndpoint registry) throws Exception {
    GatewayConfig c = fuzzConfig(kafka, registry).withLimits(256 * 1024, 100, 64L * 1024 * 1024, 1_000_000)
        .withProduceTimeout(Duration.ofSeconds(5));
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> fiveHundreds = java.util.Collections.synchronizedList(new ArrayList<>());
    try (IngestGateway gateway = IngestGateway.start(c); HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5)).build(); ExecutorService pool = Executors.newFixedThreadPool(4)) {
      URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/events");
      List<Future<?>> work = new ArrayList<>();
      for (int worker = 0; worker < 4; worker++) {
        int w = worker;
        work.add(pool.submit(() -> {
          SplittableRandom rnd = new SplittableRandom(1234 + w);
          for (int i = w; i < REQUESTS; i += 4) {
            HttpRequest req = hostile(uri, rnd, i);
            try {
              HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
              statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
              if (r.statusCode() >= 500 || r.statusCode() < 400) {
                fiveHundreds.add(i + " -> " + r.statusCode() + " " + r.body());
              } else if (!r.body().startsWith("{")) {
                fiveHundreds.add(i + " -> non-JSON " + r.statusCode() + " " + r.body());
              }
            } catch (java.io.IOException e) {
              // the server may close a connection it refuses to read (e.g. oversized); that is not a 5xx
              statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
          + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }
    System.out.println("fuzz statuses: " + statuses);
    assertThat(fiveHundreds).as("non-4xx answers").isEmpty();
    assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
    assertThat(statuses.getOrDefault(-1, new AtomicInteger()).get()).as("connections dropped").isLessThan(REQUESTS / 100);
    assertThat(statuses.keySet()).contains(400, 401, 413, 415);
  }

  /**
   * OTLP (protobuf and JSON) and CloudEvents at the gateway's default limits (5 MiB, 10,000 events): random and
   * truncated bodies, the amplification export (thousands of resource attributes, tens of thousands of spans),
   * oversized attribute values, wrong shapes. Every answer a 4xx (or an OTLP 200 for an export it could read),
   * never a 5xx, and the gateway healthy after.
   */
  @Test
  void otlpAndCloudEventsAtTheDefaultLimits(KafkaEndpoint kafka, RegistryEndpoint registry) throws Exception {
    GatewayConfig d = fuzzConfig(kafka, registry); // the default limits, a rate limit out of the way
    GatewayConfig c = d.withLimits(d.maxBodyBytes(), d.maxBatchEvents(), d.maxInFlightBytes(), 1_000_000);
    Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> bad = java.util.Collections.synchronizedList(new ArrayList<>());
    int requests = 1_200;
    try (IngestGateway gateway = IngestGateway.start(c); HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5)).build(); ExecutorService pool = Executors.newFixedThreadPool(4)) {
      String base = "http://127.0.0.1:" + gateway.port();
      List<Future<?>> work = new ArrayList<>();
      for (int worker = 0; worker < 4; worker++) {
        int w = worker;
        work.add(pool.submit(() -> {
          SplittableRandom rnd = new SplittableRandom(99 + w);
          for (int i = w; i < requests; i += 4) {
            String[] kind = new String[1];
            HttpRequest req = hostileStructured(base, rnd, i, kind);
            try {
              HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
              statuses.computeIfAbsent(kind[0] + " " + r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
              // OTLP answers 200 to an export it read: spans without gen_ai attributes are ignored, invalid ones listed
              boolean otlpRead = r.statusCode() == 200 && kind[0].startsWith("otlp");
              if (r.statusCode() >= 500 || r.statusCode() < 400 && !otlpRead && !r.body().contains("\"rejected\"")) {
                bad.add(i + " " + kind[0] + " -> " + r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length())));
              }
            } catch (java.io.IOException e) {
              statuses.computeIfAbsent(kind[0] + " dropped", k -> new AtomicInteger()).incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
          .statusCode()).isEqualTo(200);
    }
    System.out.println("structured fuzz statuses: " + new java.util.TreeMap<>(statuses));
    assertThat(bad).as("5xx or unexplained 2xx answers").isEmpty();
    assertThat(statuses.entrySet().stream().filter(e -> e.getKey().endsWith("dropped")).mapToInt(e -> e.getValue().get()).sum())
        .as("connections dropped").isLessThan(requests / 100);
    assertThat(statuses.keySet()).anyMatch(k -> k.equals("otlp-proto 413")).anyMatch(k -> k.equals("otlp-proto 400"))
        .anyMatch(k -> k.equals("otlp-json 400")).anyMatch(k -> k.equals("cloudevents 413"))
        .anyMatch(k -> k.equals("cloudevents 400"));
  }

  /** The gateway's defaults on a fresh topic, with the fuzz tenant's key. */
  private GatewayConfig fuzzConfig(KafkaEndpoint kafka, RegistryEndpoint registry) throws java.io.IOException {
    String topic = "fuzz-" + UUID.randomUUID();
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(new TopicSpec(topic, 1, Duration.ofDays(1))));
    Path keys = dir.resolve("keys-" + topic + ".yaml");
    Files.writeString(keys, "tenants:\n  - id: fuzz\n    keys: [\"" + ApiKeys.hash(KEY) + "\"]\n");
    GatewayConfig d = GatewayConfig.defaults(0, keys, kafka.bootstrapServers(), registry.url());
    return d.toBuilder().topic(topic).shutdownGrace(Duration.ofSeconds(5)).build();
  }

  private static HttpRequest hostileStructured(String base, SplittableRandom rnd, int i, String[] kind) {
    String path;
    String type;
    byte[] body;
    switch (i % 10) {
      case 0 -> { // random bytes as protobuf
        kind[0] = "otlp-proto";
        body = new byte[rnd.nextInt(1, 8192)];
        for (int b = 0; b < body.length; b++) {
          body[b] = (byte) rnd.nextInt(256);
        }
      }
      case 1 -> { // the amplification export: 2,000 resource attributes
        kind[0] = "otlp-proto";
        body = otlp(2_000, 50, 4, rnd);
      }
      case 2 -> { // 20,000 empty spans
        kind[0] = "otlp-proto";
        body = otlp(1, 20_000, 0, rnd);
      }
      case 3 -> { // one attribute value of 64 KiB; or a valid export cut short
        kind[0] = "otlp-proto";
        byte[] full = otlp(3, 3, rnd.nextBoolean() ? 65_536 : 10, rnd);
        body = rnd.nextBoolean() ? full : java.util.Arrays.copyOf(full, rnd.nextInt(1, full.length));
      }
      case 4 -> { // OTLP JSON: wrong shapes and deep nesting
        kind[0] = "otlp-json";
        body = List.of("[]", "{\"resourceSpans\":{}}", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + "[".repeat(5_000)
            + "]}]}]}", "{\"resourceSpans\":[{\"resource\":{\"attributes\":" + "[{\"key\":\"a\"},".repeat(300)
            + "{}]},\"scopeSpans\":[]}]}", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + "{},".repeat(10_000)
            + "{}]}]}]}", "not json").get(rnd.nextInt(6)).getBytes(StandardCharsets.UTF_8);
      }
      case 5 -> { // CloudEvents batch of 10,001
        kind[0] = "cloudevents";
        body = ("[" + ("{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"t\",\"data\":{}},").repeat(10_000)
            + "{}]").getBytes(StandardCharsets.UTF_8);
      }
      case 6 -> { // CloudEvents missing attributes, base64 data, wrong version, non-objects
        kind[0] = "cloudevents";
        body = ("[" + List.of("{}", "1", "{\"specversion\":\"0.3\",\"id\":\"a\",\"source\":\"s\",\"type\":\"t\"}",
            "{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"s\",\"type\":\"t\",\"data_base64\":\"AAAA\"}",
            "{\"specversion\":\"1.0\",\"id\":\"\\u202e\",\"source\":\"s\",\"type\":\"t\",\"data\":{\"model\":1}}")
            .get(rnd.nextInt(5)) + "]").getBytes(StandardCharsets.UTF_8);
      }
      case 7 -> { // CloudEvents: not JSON, truncated, a single event sent as a batch type and vice versa
        kind[0] = "cloudevents";
        body = List.of("[", "{\"specversion\":", "{}", "[{}]").get(rnd.nextInt(4)).getBytes(StandardCharsets.UTF_8);
      }
      case 8 -> { // OTLP JSON with 200 span attributes
        kind[0] = "otlp-json";
        body = ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":["
            + "{\"key\":\"gen_ai.x\",\"value\":{\"stringValue\":\"v\"}},".repeat(200) + "{}]}]}]}]}")
            .getBytes(StandardCharsets.UTF_8);
      }
      default -> { // OTLP JSON whose values are of every wrong type
        kind[0] = "otlp-json";
        body = ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":" + HOSTILE_VALUES[rnd.nextInt(HOSTILE_VALUES.length)]
            + ",\"attributes\":[{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":"
            + HOSTILE_VALUES[rnd.nextInt(HOSTILE_VALUES.length)] + "}}]}]}]}]}").getBytes(StandardCharsets.UTF_8);
      }
    }
    if (kind[0].startsWith("otlp")) {
      path = "/v1/otlp/v1/traces";
      type = kind[0].equals("otlp-proto") ? "application/x-protobuf" : "application/json";
    } else {
      path = "/v1/cloudevents";
      boolean single = i % 10 == 7 && rnd.nextBoolean();
      type = single ? "application/cloudevents+json" : "application/cloudevents-batch+json";
    }
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).header("Content-Type", type)
        .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private static byte[] otlp(int resourceAttributes, int spans, int valueChars, SplittableRandom rnd) {
    io.opentelemetry.proto.resource.v1.Resource.Builder r = io.opentelemetry.proto.resource.v1.Resource.newBuilder();
    for (int a = 0; a < resourceAttributes; a++) {
      r.addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("r" + a).setValue(
          io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("v".repeat(valueChars))));
    }
    io.opentelemetry.proto.trace.v1.ScopeSpans.Builder ss = io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder();
    for (int n = 0; n < spans; n++) {
      ss.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder().setName("s" + rnd.nextInt()));
    }
    return io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder().addResourceSpans(
        io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().setResource(r).addScopeSpans(ss)).build().toByteArray();
  }

  private static HttpRequest hostile(URI uri, SplittableRandom rnd, int i) {
    String contentType = "application/json";
    String auth = "Bearer " + KEY;
    byte[] body;
    switch (i % 12) {
      case 0 -> {
        body = new byte[rnd.nextInt(1, 4096)];
        for (int b = 0; b < body.length; b++) {
          body[b] = (byte) rnd.nextInt(256);
        }
      }
      case 1 -> body = ("[".repeat(rnd.nextInt(17, 20_000))).getBytes(StandardCharsets.UTF_8);
      case 2 -> body = mutated(rnd).getBytes(StandardCharsets.UTF_8);
      case 3 -> {
        String full = valid(rnd);
        body = full.substring(0, rnd.nextInt(1, full.length() - 1)).getBytes(StandardCharsets.UTF_8);
      }
      case 4 -> body = ("[" + mutated(rnd) + "," + mutated(rnd) + "]").getBytes(StandardCharsets.UTF_8);
      case 5 -> {
        contentType = "application/x-ndjson";
        body = (mutated(rnd) + "\n" + "{{{" + "\n" + mutated(rnd)).getBytes(StandardCharsets.UTF_8);
      }
      case 6 -> body = List.of("1", "\"text\"", "null", "true", "[1,2]", "[[]]", "{\"a\":{\"b\":{}}}").get(rnd.nextInt(7))
          .getBytes(StandardCharsets.UTF_8);
      case 7 -> {
        contentType = List.of("text/plain", "application/xml", "multipart/form-data; boundary=x", "", "application/jso")
            .get(rnd.nextInt(5));
        body = valid(rnd).getBytes(StandardCharsets.UTF_8);
      }
      case 8 -> {
        auth = List.of("", "Bearer ", "Basic YWJjOmRlZg==", "Bearer sk_ss_" + rnd.nextLong(), "bearer\u0000x").get(rnd.nextInt(5));
        body = valid(rnd).getBytes(StandardCharsets.UTF_8);
      }
      case 9 -> body = ("{\"event_id\":\"" + "\uD83D\uDE00".repeat(rnd.nextInt(200)) + "\u0007\",\"junk\":1}")
          .getBytes(StandardCharsets.UTF_8);
      case 10 -> body = ("[" + (valid(rnd) + ",").repeat(101) + valid(rnd) + "]").getBytes(StandardCharsets.UTF_8);
      default -> body = ("{\"event_id\":\"" + "a".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (!contentType.isEmpty()) {
      b.header("Content-Type", contentType);
    }
    if (!auth.isEmpty() && auth.chars().noneMatch(ch -> ch == 0)) {
      b.header("Authorization", auth);
    }
    return b.build();
  }

  private static String valid(SplittableRandom rnd) {
    return "{\"event_id\":\"f-" + rnd.nextLong() + "\",\"timestamp\":\"" + Instant.now() + "\",\"model\":\"claude-haiku-4-5\","
        + "\"route\":\"/r\",\"latency_ms\":10,\"status_code\":200,\"input_tokens\":1,\"output_tokens\":1}";
  }

  /** A valid event with one field replaced by a hostile value that makes it invalid. */
  private static String mutated(SplittableRandom rnd) {
    String field = FIELDS[rnd.nextInt(FIELDS.length)];
    String value = HOSTILE_VALUES[rnd.nextInt(HOSTILE_VALUES.length)];
    // drop two required fields as well: a replacement can restore at most one, so the event stays invalid
    String base = valid(rnd).replace("\"route\":\"/r\",", "").replace("\"status_code\":200,", "");
    return base.substring(0, base.length() - 1) + ",\"" + field + "\":" + value + "}";
  }
}
