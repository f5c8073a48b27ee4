package io.spendstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.internal.otlp.logs.LogsRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.spendstream.infra.kafka.KafkaBroker;
import io.spendstream.infra.kafka.KafkaOptions;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.infra.process.Ports;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.ingest.auth.ApiKeys;
import io.spendstream.schemas.CallKeys;
import io.spendstream.schemas.PromptHash;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.json.Json;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroDeserializer;
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
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The gateway against a real broker and a real registry: what a 2xx promises is on the topic. */
@ExtendWith(RealInfraExtension.class)
class GatewayIT {
  private static final String ACME_KEY = ApiKeys.generate();
  private static final String ACME_ROTATED_KEY = ApiKeys.generate();
  private static final String SLOW_KEY = ApiKeys.generate();

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private IngestGateway gateway;
  private String topic;
  private String bootstrap;
  private String registryUrl;
  private Path keysFile;

  @BeforeEach
  void start(KafkaEndpoint kafka, RegistryEndpoint registry) throws Exception {
    bootstrap = kafka.bootstrapServers();
    registryUrl = registry.url();
    topic = "gw-" + UUID.randomUUID();
    KafkaTopics.ensure(bootstrap, List.of(new TopicSpec(topic, 3, Duration.ofDays(30))));
    keysFile = dir.resolve("keys.yaml");
    writeKeys(List.of(ApiKeys.hash(ACME_KEY), ApiKeys.hash(ACME_ROTATED_KEY)));
    gateway = IngestGateway.start(config(bootstrap), 0, 0);
  }

  private GatewayConfig config(String kafkaBootstrap) {
    GatewayConfig d = GatewayConfig.defaults(0, keysFile, kafkaBootstrap, registryUrl);
    return d.toBuilder().topic(topic).maxBodyBytes(64 * 1024).maxBatchEvents(50).maxInFlightBytes(1024 * 1024)
        .produceTimeout(Duration.ofSeconds(5)).defaultRateLimitPerSecond(1000).shutdownGrace(Duration.ofSeconds(5)).build();
  }

  private void writeKeys(List<String> acmeHashes) throws Exception {
    Files.writeString(keysFile, "tenants:\n  - id: acme\n    keys: [" + String.join(", ", acmeHashes.stream()
        .map(h -> "\"" + h + "\"").toList()) + "]\n  - id: slow\n    keys: [\"" + ApiKeys.hash(SLOW_KEY)
        + "\"]\n    rate_limit_per_second: 3\n");
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  static String event(String id, String extra) {
    return "{\"event_id\":\"" + id + "\",\"timestamp\":\"" + Instant.now().minusSeconds(5) + "\",\"model\":\"claude-sonnet-4-6\","
        + "\"route\":\"/chat\",\"latency_ms\":120,\"status_code\":200,\"usage\":{\"input_tokens\":10,\"output_tokens\":5}"
        + extra + "}";
  }

  private HttpResponse<String> post(String key, String contentType, String body) throws Exception {
    return post("/v1/events", key, contentType, body);
  }

  private HttpResponse<String> post(String path, String key, String contentType, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return Json.MAPPER.readTree(r.body());
  }

  /** The calls on the topic (the ticks the gateway sends every second are left out; {@link #ticks} reads them). */
  private List<ConsumerRecord<byte[], byte[]>> topicRecords(int expected, String onBootstrap) {
    return records(expected, onBootstrap).stream().filter(r -> r.headers().lastHeader(Topics.TICK_HEADER) == null).toList();
  }

  private List<ConsumerRecord<byte[], byte[]>> ticks(String onBootstrap) {
    return records(0, onBootstrap).stream().filter(r -> r.headers().lastHeader(Topics.TICK_HEADER) != null).toList();
  }

  private List<ConsumerRecord<byte[], byte[]>> records(int expected, String onBootstrap) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, onBootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(expected == 0 ? 5 : 30).toNanos();
      while (System.nanoTime() < deadline && (expected == 0 || callCount(out) < expected)) {
        c.poll(Duration.ofMillis(300)).forEach(out::add);
      }
      // read a little longer to catch anything unexpected beyond the expected count
      c.poll(Duration.ofSeconds(1)).forEach(out::add);
    }
    return out;
  }

  private static long callCount(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().filter(r -> r.headers().lastHeader(Topics.TICK_HEADER) == null).count();
  }

  private List<LlmCall> calls(List<ConsumerRecord<byte[], byte[]>> records) {
    AvroDeserializer<LlmCall> de = new AvroDeserializer<>(new SchemaRegistryClient(RegistryClientConfig.of(registryUrl)), LlmCall.class);
    return records.stream().map(r -> de.deserialize(topic, r.value())).toList();
  }

  @Test
  void singleArrayAndNdjsonEventsLandAsAvroWithTheKeysTenant() throws Exception {
    assertThat(post(ACME_KEY, "application/json", event("e1", "")).statusCode()).isEqualTo(202);
    HttpResponse<String> array = post(ACME_KEY, "application/json; charset=utf-8",
        "[" + event("e2", "") + "," + event("e3", ",\"tenant_id\":\"acme\"") + "]");
    assertThat(json(array).get("accepted").asInt()).isEqualTo(2);
    HttpResponse<String> nd = post(ACME_KEY, "application/x-ndjson", event("e4", "") + "\n\n" + event("e5", "") + "\n");
    assertThat(nd.statusCode()).isEqualTo(202);
    assertThat(json(nd).get("accepted").asInt()).isEqualTo(2);

    List<LlmCall> onTopic = calls(topicRecords(5, bootstrap));
    assertThat(onTopic).extracting(LlmCall::getEventId).containsExactlyInAnyOrder("e1", "e2", "e3", "e4", "e5");
    assertThat(onTopic).allSatisfy(c -> {
      assertThat(c.getTenantId()).isEqualTo("acme");
      assertThat(c.getInputTokens()).isEqualTo(10);
      assertThat(c.getProvider()).isEqualTo("anthropic");
    });
  }

  @Test
  void receivedAtIsTheGatewaysClockAndAClientsFarFutureValueIsRefusedNamingIt() throws Exception {
    java.time.Instant before = java.time.Instant.now();
    java.time.Instant claimed = before.minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    assertThat(post(ACME_KEY, "application/json", event("r1", ",\"received_at\":\"" + claimed + "\"")).statusCode())
        .isEqualTo(202);
    for (String hostile : List.of("+10000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z")) {
      HttpResponse<String> r = post(ACME_KEY, "application/json", event("r-" + hostile.length(), ",\"received_at\":\"" + hostile
          + "\""));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(json(r).get("rejected").get(0).get("field").asText()).isEqualTo("received_at");
    }
    LlmCall landed = calls(topicRecords(1, bootstrap)).getFirst();
    assertThat(landed.getEventId()).isEqualTo("r1");
    assertThat(landed.getReceivedAt()).isBetween(before.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), java.time.Instant.now());
  }

  @Test
  void invalidItemsAreListedAndValidOnesAccepted() throws Exception {
    HttpResponse<String> r = post(ACME_KEY, "application/x-ndjson", event("ok1", "") + "\n{not json\n"
        + event("bad", ",\"output_tokens\":-1").replace("\"usage\":{\"input_tokens\":10,\"output_tokens\":5}",
            "\"input_tokens\":10") + "\n" + event("ok2", ""));
    assertThat(r.statusCode()).isEqualTo(202);
    JsonNode j = json(r);
    assertThat(j.get("accepted").asInt()).isEqualTo(2);
    assertThat(j.get("rejected_count").asInt()).isEqualTo(2);
    assertThat(j.get("rejected").findValuesAsText("field")).contains("$", "output_tokens");
    assertThat(j.get("rejected").get(0).get("index").asInt()).isEqualTo(1);
    assertThat(calls(topicRecords(2, bootstrap))).extracting(LlmCall::getEventId).containsExactlyInAnyOrder("ok1", "ok2");
  }

  @Test
  void crossTenantWritesAreRefusedWhole() throws Exception {
    HttpResponse<String> r = post(ACME_KEY, "application/json",
        "[" + event("x1", "") + "," + event("x2", ",\"tenant_id\":\"slow\"") + "]");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(json(r).get("index").asInt()).isEqualTo(1);
    assertThat(topicRecords(0, bootstrap)).isEmpty();
  }

  @Test
  void theRawPromptNeverLeavesTheGateway() throws Exception {
    String secret = "SECRET-PROMPT-" + UUID.randomUUID();
    assertThat(post(ACME_KEY, "application/json", event("p1", ",\"prompt\":\"" + secret + "\"")).statusCode()).isEqualTo(202);
    List<ConsumerRecord<byte[], byte[]>> records = topicRecords(1, bootstrap);
    assertThat(new String(records.getFirst().value(), StandardCharsets.ISO_8859_1)).doesNotContain(secret);
    assertThat(calls(records).getFirst().getPromptHash()).isEqualTo(PromptHash.of(secret));
    HttpResponse<String> bad = post(ACME_KEY, "application/json", event("p2", ",\"prompt\":\"" + secret
        + "\",\"prompt_hash\":\"0000000000000000\""));
    assertThat(bad.body()).doesNotContain(secret);
  }

  @Test
  void keysAreCheckedAndRotateWithoutRestart() throws Exception {
    assertThat(post(null, "application/json", event("k0", "")).statusCode()).isEqualTo(401);
    assertThat(post("sk_ss_wrong", "application/json", event("k1", "")).statusCode()).isEqualTo(401);
    assertThat(post(ACME_ROTATED_KEY, "application/json", event("k2", "")).statusCode()).isEqualTo(202);
    String newKey = ApiKeys.generate();
    writeKeys(List.of(ApiKeys.hash(newKey)));
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (post(newKey, "application/json", event("k3", "")).statusCode() != 202 && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(post(newKey, "application/json", event("k4", "")).statusCode()).isEqualTo(202);
    assertThat(post(ACME_KEY, "application/json", event("k5", "")).statusCode()).isEqualTo(401);
  }

  @Test
  void badRequestsGetJson4xx() throws Exception {
    HttpResponse<String> media = post(ACME_KEY, "text/plain", event("m1", ""));
    assertThat(media.statusCode()).isEqualTo(415);
    assertThat(json(media).get("error").asText()).isEqualTo("unsupported_media_type");
    HttpResponse<String> malformed = post(ACME_KEY, "application/json", "{\"event_id\": ");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(json(malformed).get("message").asText()).contains("malformed JSON");
    assertThat(post(ACME_KEY, "application/json", "x".repeat(70 * 1024)).statusCode()).isEqualTo(413);
    StringBuilder many = new StringBuilder("[");
    for (int i = 0; i < 51; i++) {
      many.append(i == 0 ? "" : ",").append("{}");
    }
    assertThat(post(ACME_KEY, "application/json", many + "]").statusCode()).isEqualTo(413);
    HttpResponse<String> allInvalid = post(ACME_KEY, "application/json", "{}");
    assertThat(allInvalid.statusCode()).isEqualTo(400);
    assertThat(json(allInvalid).get("rejected").findValuesAsText("field")).contains("event_id", "timestamp", "model");
  }

  /**
   * Calls are keyed by tenant + prompt hash (retries and storms meet on one partition), and once a call is
   * acknowledged every partition gets ticks stamped with the newest event time, so idle partitions close windows.
   */
  @Test
  void callsAreKeyedByTenantAndPromptAndEveryPartitionGetsTicksAtTheNewestEventTime() throws Exception {
    String body = "[" + event("k1", ",\"prompt_hash\":\"00000000000000ab\"") + "," + event("k2", "") + "]";
    assertThat(post(ACME_KEY, "application/json", body).statusCode()).isEqualTo(202);
    List<ConsumerRecord<byte[], byte[]>> records = topicRecords(2, bootstrap);
    List<LlmCall> calls = calls(records);
    for (int i = 0; i < records.size(); i++) {
      assertThat(new String(records.get(i).key(), StandardCharsets.UTF_8)).isEqualTo(CallKeys.of(calls.get(i)));
    }
    assertThat(records).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .contains("4:acmep:00000000000000ab", "4:acmee:k2");
    long newest = calls.stream().mapToLong(c -> c.getTimestamp().toEpochMilli()).max().orElseThrow();
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      List<ConsumerRecord<byte[], byte[]>> ticks = ticks(bootstrap);
      assertThat(ticks).extracting(ConsumerRecord::partition).containsAll(List.of(0, 1, 2));
      assertThat(ticks).allSatisfy(t -> {
        assertThat(t.value()).isNull();
        assertThat(t.timestamp()).isEqualTo(newest);
      });
    });
  }

  @Test
  void duplicatesAreCountedNotWrittenTwice() throws Exception {
    JsonNode first = json(post(ACME_KEY, "application/json", "[" + event("d1", "") + "," + event("d1", "") + "]"));
    assertThat(first.get("accepted").asInt()).isEqualTo(1);
    assertThat(first.get("duplicates").asInt()).isEqualTo(1);
    JsonNode again = json(post(ACME_KEY, "application/json", event("d1", "")));
    assertThat(again.get("duplicates").asInt()).isEqualTo(1);
    assertThat(topicRecords(1, bootstrap)).hasSize(1);
  }

  @Test
  void perTenantRateLimitAnswers429WithRetryAfter() throws Exception {
    assertThat(post(SLOW_KEY, "application/json", "[" + event("r1", "") + "," + event("r2", "") + "," + event("r3", "") + "]")
        .statusCode()).isEqualTo(202);
    HttpResponse<String> limited = post(SLOW_KEY, "application/json", event("r4", ""));
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void oneTenantsSlowUploadsCannotHoldTheWholeInFlightBudget() throws Exception {
    gateway.close();
    // 64 KiB bodies, 256 KiB in flight: a tenant may hold a quarter, i.e. one body
    gateway = IngestGateway.start(config(bootstrap).withLimits(64 * 1024, 1000, 256 * 1024, 10_000));
    try (java.net.Socket slow = new java.net.Socket("127.0.0.1", gateway.port())) {
      // acme starts a 64 KiB upload and sends nothing more: its share is taken while the request is open
      slow.getOutputStream().write(("POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ACME_KEY
          + "\r\nContent-Type: application/json\r\nContent-Length: 65536\r\n\r\n[").getBytes(StandardCharsets.UTF_8));
      slow.getOutputStream().flush();
      HttpResponse<String> busy = null;
      // until the gateway has taken the slow request in (once, in a full run, that took longer than 10 s)
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        busy = post(ACME_KEY, "application/json", event("b1", ""));
        if (busy.statusCode() == 429) {
          break;
        }
      }
      assertThat(busy.statusCode()).as(busy.body()).isEqualTo(429);
      assertThat(json(busy).get("error").asText()).isEqualTo("tenant_busy");
      // another tenant is not held back by it
      assertThat(post(SLOW_KEY, "application/json", event("s1", "")).statusCode()).isEqualTo(202);
    }
  }

  @Test
  void invalidAndRepeatedEventsCostTheTenantsRateBudgetToo() throws Exception {
    // three invalid events use up the slow tenant's 3 events/s: a flood of garbage is not free
    assertThat(post(SLOW_KEY, "application/json", "[{},{},{}]").statusCode()).isEqualTo(400);
    HttpResponse<String> limited = post(SLOW_KEY, "application/json", event("v1", ""));
    assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
  }

  @Test
  void healthReadinessAndMetricsAnswer() throws Exception {
    String base = "http://127.0.0.1:" + gateway.port();
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(200);
    HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    post(ACME_KEY, "application/json", event("mx", ""));
    // per-tenant figures are for operators: not on the port every tenant reaches, but on the ops port
    assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(), HttpResponse.BodyHandlers.ofString())
        .statusCode()).isEqualTo(404);
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.opsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("gateway_events_total{outcome=\"accepted\",tenant=\"acme\"}")
        .contains("gateway_requests_total").contains("gateway_produce_latency");
  }

  @Test
  void cloudEventsSingleAndBatchUseTheIdAsEventId() throws Exception {
    String data = event("ignored", "").replace("\"event_id\":\"ignored\",", "");
    String ce = "{\"specversion\":\"1.0\",\"id\":\"ce-1\",\"source\":\"/svc/a\",\"type\":\"io.spendstream.llm_call\","
        + "\"datacontenttype\":\"application/json\",\"data\":" + data + "}";
    assertThat(post("/v1/cloudevents", ACME_KEY, "application/cloudevents+json", ce).statusCode()).isEqualTo(202);
    String batch = "[" + ce.replace("ce-1", "ce-2") + "," + ce.replace("ce-1", "ce-3").replace("\"source\":\"/svc/a\",", "") + "]";
    HttpResponse<String> r = post("/v1/cloudevents", ACME_KEY, "application/cloudevents-batch+json", batch);
    assertThat(r.statusCode()).isEqualTo(202);
    assertThat(json(r).get("accepted").asInt()).isEqualTo(1);
    assertThat(json(r).get("rejected").get(0).get("error").asText()).contains("'source' is required");
    assertThat(post(ACME_KEY, "application/json", ce).statusCode()).isEqualTo(400); // on /v1/events a CloudEvent is no event
    assertThat(post("/v1/cloudevents", ACME_KEY, "application/json", ce).statusCode()).isEqualTo(415);
    assertThat(calls(topicRecords(2, bootstrap))).extracting(LlmCall::getEventId).contains("ce-1", "ce-2");
  }

  private static io.opentelemetry.proto.common.v1.KeyValue kv(String k, Object v) {
    io.opentelemetry.proto.common.v1.AnyValue.Builder a = io.opentelemetry.proto.common.v1.AnyValue.newBuilder();
    if (v instanceof Long l) {
      a.setIntValue(l);
    } else {
      a.setStringValue(v.toString());
    }
    return io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey(k).setValue(a).build();
  }

  private static io.opentelemetry.proto.trace.v1.Span span(int id, long start, io.opentelemetry.proto.common.v1.KeyValue... attrs) {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
        .setSpanId(com.google.protobuf.ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(id).array()))
        .setName("chat claude").setStartTimeUnixNano(start).setEndTimeUnixNano(start + 750_000_000L)
        .addAllAttributes(List.of(attrs)).build();
  }

  @Test
  void otlpProtobufSpansBecomeCallsWithCacheTokensTakenOutOfInput() throws Exception {
    long start = Instant.now().minusSeconds(10).toEpochMilli() * 1_000_000L;
    var request = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
            .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(kv("service.name", "bot")))
            .addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                .addSpans(span(1, start, kv("gen_ai.provider.name", "anthropic"), kv("gen_ai.request.model", "claude-sonnet-4-6"),
                    kv("gen_ai.usage.input_tokens", 1000L), kv("gen_ai.usage.output_tokens", 50L),
                    kv("gen_ai.usage.cache_read.input_tokens", 600L), kv("gen_ai.usage.cache_creation.input_tokens", 100L),
                    kv("gen_ai.conversation.id", "conv-9"), kv("http.route", "/support")))
                .addSpans(span(2, start, kv("gen_ai.system", "anthropic"), kv("gen_ai.response.model", "claude-haiku-4-5"),
                    kv("gen_ai.usage.input_tokens", 10L), kv("gen_ai.usage.output_tokens", 0L),
                    kv("gen_ai.usage.cache_read_input_tokens", 20L)))
                .addSpans(span(3, start, kv("gen_ai.request.model", "claude-haiku-4-5"), kv("gen_ai.usage.input_tokens", 7L),
                    kv("gen_ai.usage.output_tokens", 1L), kv("error.type", "overloaded_error")))
                .addSpans(span(4, start, kv("http.method", "GET")))))
        .build();
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
        + "/v1/otlp/v1/traces")).header("Content-Type", "application/x-protobuf").header("Authorization", "Bearer " + ACME_KEY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(request.toByteArray())).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    var answer = io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.parseFrom(r.body());
    assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(answer.getPartialSuccess().getErrorMessage()).contains("less than cache read");
    List<LlmCall> onTopic = calls(topicRecords(2, bootstrap));
    assertThat(onTopic).hasSize(2);
    LlmCall first = onTopic.stream().filter(c -> c.getModel().equals("claude-sonnet-4-6")).findFirst().orElseThrow();
    assertThat(first.getInputTokens()).isEqualTo(300);
    assertThat(first.getCacheReadInputTokens()).isEqualTo(600);
    assertThat(first.getCacheCreationInputTokens()).isEqualTo(100);
    assertThat(first.getTaskId()).isEqualTo("conv-9");
    assertThat(first.getRoute()).isEqualTo("/support");
    assertThat(first.getLatencyMs()).isEqualTo(750);
    assertThat(first.getTenantId()).isEqualTo("acme");
    assertThat(first.getEventId()).isEqualTo("00000000000000000000000000000000-0000000000000001");
    LlmCall third = onTopic.stream().filter(c -> c.getModel().equals("claude-haiku-4-5")).findFirst().orElseThrow();
    assertThat(third.getErrorType()).isEqualTo("overloaded_error");
    assertThat(third.getStatusCode()).isEqualTo(500);
  }

  @Test
  void otlpJsonIsReadToo() throws Exception {
    long start = Instant.now().minusSeconds(10).toEpochMilli() * 1_000_000L;
    String body = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"spendstream.tenant_id\",\"value\":{\"stringValue\":\"acme\"}}]},"
        + "\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
        + "\"name\":\"chat\",\"startTimeUnixNano\":\"" + start + "\",\"endTimeUnixNano\":\"" + (start + 2_000_000_000L) + "\","
        + "\"attributes\":[{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"claude-opus-4-7\"}},"
        + "{\"key\":\"gen_ai.usage.input_tokens\",\"value\":{\"intValue\":\"500\"}},"
        + "{\"key\":\"gen_ai.usage.output_tokens\",\"value\":{\"intValue\":42}}]}]}]}]}";
    HttpResponse<String> r = post(ACME_KEY, "application/json", body.replace("x", "x"));
    assertThat(r.statusCode()).isEqualTo(400); // on /v1/events an OTLP export is no event
    HttpResponse<String> otlp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
        + "/v1/otlp/v1/traces")).header("Content-Type", "application/json").header("Authorization", "Bearer " + ACME_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(otlp.statusCode()).as(otlp.body()).isEqualTo(200);
    LlmCall c = calls(topicRecords(1, bootstrap)).getFirst();
    assertThat(c.getEventId()).isEqualTo("5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174");
    assertThat(c.getInputTokens()).isEqualTo(500);
    assertThat(c.getOutputTokens()).isEqualTo(42);
    assertThat(c.getLatencyMs()).isEqualTo(2000);
    HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
        + "/v1/otlp/v1/traces")).header("Content-Type", "application/json").header("Authorization", "Bearer " + SLOW_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(403); // the resource names tenant acme, the key is tenant slow
  }

  /**
   * Claude Code's events as the OpenTelemetry Java SDK builds them (the same OTLP wire format Claude Code sends):
   * records are collected from a real SdkLoggerProvider, then exported by the SDK's own OTLP/HTTP exporter (protobuf,
   * at the standard /v1/logs path) and by its own JSON marshaler (at /v1/otlp/v1/logs).
   */
  private static List<LogRecordData> claudeCodeEvents(String session, Instant at) {
    List<LogRecordData> captured = new java.util.concurrent.CopyOnWriteArrayList<>();
    LogRecordExporter capture = new LogRecordExporter() {
      @Override
      public CompletableResultCode export(java.util.Collection<LogRecordData> logs) {
        captured.addAll(logs);
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    try (SdkLoggerProvider provider = SdkLoggerProvider.builder()
        .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "claude-code",
            AttributeKey.stringKey("service.version"), "2.1.3")))
        .addLogRecordProcessor(SimpleLogRecordProcessor.create(capture)).build()) {
      io.opentelemetry.api.logs.Logger logger = provider.get("com.anthropic.claude_code.events");
      logger.logRecordBuilder().setTimestamp(at).setBody("claude_code.user_prompt").setAttribute("event.name", "user_prompt")
          .setAttribute("session.id", session).setAttribute("event.sequence", 1L).setAttribute("prompt_length", 42L).emit();
      logger.logRecordBuilder().setTimestamp(at.plusSeconds(1)).setBody("claude_code.api_request")
          .setAttribute("event.name", "api_request").setAttribute("session.id", session).setAttribute("event.sequence", 2L)
          .setAttribute("user.account_uuid", "acc-42").setAttribute("model", "claude-sonnet-4-6")
          .setAttribute("cost_usd", 0.0123456).setAttribute("duration_ms", 2345L).setAttribute("input_tokens", 1200L)
          .setAttribute("output_tokens", 340L).setAttribute("cache_read_tokens", 8000L).setAttribute("cache_creation_tokens", 500L)
          .emit();
      logger.logRecordBuilder().setTimestamp(at.plusSeconds(2)).setBody("claude_code.api_error")
          .setAttribute("event.name", "api_error").setAttribute("session.id", session).setAttribute("event.sequence", 3L)
          .setAttribute("model", "claude-sonnet-4-6").setAttribute("error", "Overloaded").setAttribute("status_code", "529")
          .setAttribute("duration_ms", 90L).setAttribute("attempt", 1L).emit();
      logger.logRecordBuilder().setTimestamp(at.plusSeconds(3)).setBody("claude_code.tool_result")
          .setAttribute("event.name", "tool_result").setAttribute("session.id", session).setAttribute("event.sequence", 4L)
          .setAttribute("tool_name", "Bash").setAttribute("success", "true").emit();
      provider.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS);
    }
    return List.copyOf(captured);
  }

  @Test
  void claudeCodeLogsFromTheSdksOtlpHttpExporterBecomeCallsAndAReExportIsADuplicate() throws Exception {
    Instant at = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    List<LogRecordData> records = claudeCodeEvents("sess-http", at);
    assertThat(records).hasSize(4);
    try (OtlpHttpLogRecordExporter exporter = OtlpHttpLogRecordExporter.builder()
        .setEndpoint("http://127.0.0.1:" + gateway.port() + "/v1/logs").addHeader("Authorization", "Bearer " + ACME_KEY)
        .build()) {
      assertThat(exporter.export(records).join(30, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
      // the exporter sends the same records again (a retry after a lost answer): nothing new reaches the topic
      assertThat(exporter.export(records).join(30, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    List<LlmCall> onTopic = calls(topicRecords(2, bootstrap));
    assertThat(onTopic).hasSize(2); // the prompt and tool events carry no usage: ignored, not rejected
    LlmCall request = onTopic.stream().filter(c -> c.getStatusCode() == 200).findFirst().orElseThrow();
    assertThat(request.getEventId()).isEqualTo("cc-api_request-sess-http-2");
    assertThat(request.getTenantId()).isEqualTo("acme");
    assertThat(request.getTimestamp()).isEqualTo(at.plusSeconds(1));
    assertThat(request.getTaskId()).isEqualTo("sess-http");
    assertThat(request.getUserId()).isEqualTo("acc-42");
    assertThat(List.of(request.getInputTokens(), request.getOutputTokens(), request.getCacheReadInputTokens(),
        request.getCacheCreationInputTokens())).containsExactly(1200L, 340L, 8000L, 500L);
    assertThat(request.getReportedCostNanos()).isEqualTo(12_345_600L);
    assertThat(request.getAttributes()).containsEntry("app.version", "2.1.3").containsEntry("source", "claude_code");
    LlmCall error = onTopic.stream().filter(c -> c.getStatusCode() != 200).findFirst().orElseThrow();
    assertThat(error.getStatusCode()).isEqualTo(529);
    assertThat(error.getErrorType()).isEqualTo("overloaded_error");
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.opsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("gateway_otlp_log_records_ignored_total{event=\"claude_code.tool_result\"} 2.0")
        .contains("gateway_otlp_log_records_ignored_total{event=\"claude_code.user_prompt\"} 2.0");
  }

  @Test
  void otlpGrpcLogsAndTracesWithTheKeyInTheCallsMetadata() throws Exception {
    Instant at = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    List<LogRecordData> records = claudeCodeEvents("sess-grpc", at);
    String endpoint = "http://127.0.0.1:" + gateway.grpcPort();
    try (OtlpGrpcLogRecordExporter exporter = OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint)
        .addHeader("Authorization", "Bearer " + ACME_KEY).build()) {
      assertThat(exporter.export(records).join(30, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    try (OtlpGrpcLogRecordExporter stranger = OtlpGrpcLogRecordExporter.builder().setEndpoint(endpoint)
        .addHeader("Authorization", "Bearer not-a-key").build()) {
      assertThat(stranger.export(records).join(30, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isFalse();
    }
    // traces over gRPC with grpc-java's own client: one GenAI span, the key in the metadata
    io.grpc.ManagedChannel channel = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
        .forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
    try {
      io.grpc.Metadata md = new io.grpc.Metadata();
      md.put(io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer " + ACME_KEY);
      long start = at.toEpochMilli() * 1_000_000L;
      var answer = io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc.newBlockingStub(channel)
          .withInterceptors(io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(md))
          .export(io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder()
              .addResourceSpans(io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder()
                  .addScopeSpans(io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder()
                      .addSpans(span(7, start, kv("gen_ai.request.model", "claude-haiku-4-5"), kv("gen_ai.usage.input_tokens", 30L),
                          kv("gen_ai.usage.output_tokens", 3L)))
                      .addSpans(span(8, start, kv("gen_ai.request.model", "claude-haiku-4-5"), kv("gen_ai.usage.input_tokens", 1L),
                          kv("gen_ai.usage.cache_read.input_tokens", 5L)))))
              .build());
      assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1); // its cache reads exceed its input
    } finally {
      channel.shutdownNow();
    }
    List<LlmCall> onTopic = calls(topicRecords(3, bootstrap));
    assertThat(onTopic).extracting(LlmCall::getEventId).containsExactlyInAnyOrder("cc-api_request-sess-grpc-2",
        "cc-api_error-sess-grpc-3", "00000000000000000000000000000000-0000000000000007");
    assertThat(onTopic).allMatch(c -> c.getTenantId().equals("acme"));
  }

  @Test
  void claudeCodeLogsInTheOtlpJsonEncodingAndRejectionsAsPartialSuccess() throws Exception {
    Instant at = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
    LogsRequestMarshaler.create(claudeCodeEvents("sess-json", at)).writeJsonTo(json);
    HttpResponse<String> r = post("/v1/otlp/v1/logs", ACME_KEY, "application/json", json.toString(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).has("partialSuccess")).isFalse();
    List<LlmCall> onTopic = calls(topicRecords(2, bootstrap));
    assertThat(onTopic).extracting(LlmCall::getEventId).containsExactlyInAnyOrder("cc-api_request-sess-json-2",
        "cc-api_error-sess-json-3");
    // an api_request without a model cannot be priced: rejected by name, the rest of the export goes on
    String noModel = json.toString(StandardCharsets.UTF_8).replace("\"claude-sonnet-4-6\"", "\"\"")
        .replace("sess-json", "sess-json-2");
    HttpResponse<String> partial = post("/v1/logs", ACME_KEY, "application/json", noModel);
    assertThat(partial.statusCode()).as(partial.body()).isEqualTo(400); // nothing acceptable in it
    assertThat(json(partial).at("/partialSuccess/rejectedLogRecords").asText()).isEqualTo("2");
    assertThat(json(partial).at("/partialSuccess/errorMessage").asText()).contains("model");
  }

  /** A registry that does not answer (cold schema cache) is a 503 too, and /readyz says why. */
  @Test
  void unreachableRegistryGives503AndNotReady() throws Exception {
    gateway.close();
    String live = registryUrl;
    registryUrl = "http://127.0.0.1:" + Ports.ephemeral() + "/apis/ccompat/v7";
    try {
      gateway = IngestGateway.start(config(bootstrap));
      HttpResponse<String> r = post(ACME_KEY, "application/json", event("reg-down", ""));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
          + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(json(ready).get("schema_registry").asBoolean()).isFalse();
      assertThat(json(ready).get("kafka").asBoolean()).isTrue();
    } finally {
      registryUrl = live;
    }
    assertThat(topicRecords(0, bootstrap)).isEmpty();
  }

  /**
   * With the broker stopped the gateway answers 503 + Retry-After and acknowledges nothing; once the
   * broker is back it recovers, and the events on the topic are exactly the 2xx-acknowledged ones.
   */
  @Test
  void brokerOutageGives503AndAcknowledgedCountEqualsTopicCount() throws Exception {
    gateway.close();
    KafkaOptions o = KafkaOptions.of(Ports.ephemeral(), Ports.ephemeral(), dir.resolve("own-kafka"));
    KafkaBroker broker = KafkaBroker.start(o, dir.resolve("own-kafka.log"));
    try {
      KafkaTopics.ensure(o.bootstrapServers(), List.of(new TopicSpec(topic, 3, Duration.ofDays(30))));
      gateway = IngestGateway.start(config(o.bootstrapServers()));
      int acked = 0;
      for (int i = 0; i < 20; i++) {
        if (post(ACME_KEY, "application/json", event("before-" + i, "")).statusCode() == 202) {
          acked++;
        }
      }
      assertThat(acked).isEqualTo(20);
      broker.close();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> down = post(ACME_KEY, "application/json", event("during-" + i, ""));
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).isPresent();
      }
      broker = KafkaBroker.start(o, dir.resolve("own-kafka.log"));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      int after = 0;
      while (after < 20 && System.nanoTime() < deadline) {
        if (post(ACME_KEY, "application/json", event("after-" + after, "")).statusCode() == 202) {
          after++;
        } else {
          Thread.sleep(500);
        }
      }
      assertThat(after).isEqualTo(20);
      List<String> ids = calls(topicRecords(40, o.bootstrapServers())).stream().map(LlmCall::getEventId).distinct().toList();
      assertThat(ids).hasSize(40).noneMatch(id -> id.startsWith("during-"));
    } finally {
      gateway.close();
      gateway = null;
      broker.close();
    }
  }
}
