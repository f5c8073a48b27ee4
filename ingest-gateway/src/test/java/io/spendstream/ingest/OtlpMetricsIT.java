package io.spendstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.internal.otlp.metrics.MetricsRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.ingest.auth.ApiKeys;
import io.spendstream.schemas.avro.ReportedUsage;
import io.spendstream.schemas.json.Json;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroDeserializer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claude Code's metrics, as the OpenTelemetry Java SDK exports them (OTLP/HTTP protobuf, OTLP/gRPC, OTLP JSON), through
 * the gateway to usage.reported.v1 against a real broker and registry: reported usage, never calls.
 */
@ExtendWith(RealInfraExtension.class)
class OtlpMetricsIT {
  private static final String KEY = ApiKeys.generate();

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private IngestGateway gateway;
  private GatewayConfig config;
  private String registryUrl;

  @BeforeEach
  void start(KafkaEndpoint kafka, RegistryEndpoint registry) throws Exception {
    registryUrl = registry.url();
    Path keys = dir.resolve("keys.yaml");
    Files.writeString(keys, "tenants:\n  - id: acme\n    keys: [\"" + ApiKeys.hash(KEY) + "\"]\n");
    GatewayConfig d = GatewayConfig.defaults(0, keys, kafka.bootstrapServers(), registryUrl);
    config = d.toBuilder().topic("gwm-" + UUID.randomUUID()).produceTimeout(Duration.ofSeconds(5))
        .defaultRateLimitPerSecond(1000).shutdownGrace(Duration.ofSeconds(5)).build();
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(new TopicSpec(config.topic(), 3, Duration.ofDays(30)),
        new TopicSpec(config.usageTopic(), 3, Duration.ofDays(30))));
    gateway = IngestGateway.start(config, 0, 0);
  }

  @AfterEach
  void stop() {
    gateway.close();
  }

  /**
   * What one Claude Code session records (its cost and tokens per API request, and a session count), one export per
   * interval (the export at shutdown left out).
   */
  private static List<List<MetricData>> claudeCode(AggregationTemporality temporality, List<Consumer<Meter>> intervals) {
    List<List<MetricData>> perInterval = new ArrayList<>();
    List<MetricData> exported = new ArrayList<>();
    MetricExporter capture = new MetricExporter() {
      @Override
      public CompletableResultCode export(Collection<MetricData> metrics) {
        exported.addAll(metrics);
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

      @Override
      public AggregationTemporality getAggregationTemporality(InstrumentType type) {
        return temporality;
      }
    };
    try (SdkMeterProvider provider = SdkMeterProvider.builder()
        .setResource(Resource.create(Attributes.builder().put("service.name", "claude-code").put("service.version", "2.1.3").build()))
        .registerMetricReader(PeriodicMetricReader.builder(capture).setInterval(Duration.ofHours(1)).build()).build()) {
      Meter meter = provider.get("com.anthropic.claude_code");
      for (Consumer<Meter> interval : intervals) {
        interval.accept(meter);
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        perInterval.add(List.copyOf(exported));
        exported.clear();
      }
    }
    return perInterval;
  }

  private static Consumer<Meter> request(String session, double usd, long input, long output, long cacheRead, long cacheCreation) {
    return meter -> {
      Attributes common = Attributes.builder().put("session.id", session).put("user.account_uuid", "acc-42")
          .put("organization.id", "org-7").put("model", "claude-sonnet-4-6").build();
      DoubleCounter cost = meter.counterBuilder("claude_code.cost.usage").setUnit("USD").ofDoubles().build();
      LongCounter tokens = meter.counterBuilder("claude_code.token.usage").setUnit("tokens").build();
      cost.add(usd, common);
      tokens.add(input, common.toBuilder().put("type", "input").build());
      tokens.add(output, common.toBuilder().put("type", "output").build());
      tokens.add(cacheRead, common.toBuilder().put("type", "cacheRead").build());
      tokens.add(cacheCreation, common.toBuilder().put("type", "cacheCreation").build());
      meter.counterBuilder("claude_code.session.count").build().add(1, Attributes.builder().put("session.id", session).build());
    };
  }

  private List<ReportedUsage> usage(int expected) {
    List<ReportedUsage> out = new ArrayList<>();
    AvroDeserializer<ReportedUsage> de = new AvroDeserializer<>(new SchemaRegistryClient(RegistryClientConfig.of(registryUrl)),
        ReportedUsage.class);
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        config.kafkaBootstrap(), ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(config.usageTopic()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline && out.size() < expected) {
        c.poll(Duration.ofMillis(300)).forEach(r -> {
          ReportedUsage u = de.deserialize(config.usageTopic(), r.value());
          assertThat(r.key()).isEqualTo(u.getTenantId() + "|" + u.getSessionId());
          out.add(u);
        });
      }
      c.poll(Duration.ofSeconds(1)).forEach(r -> out.add(de.deserialize(config.usageTopic(), r.value())));
    }
    return out;
  }

  private String opsMetrics() throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.opsPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void deltaCostAndTokensOverOtlpHttpProtobufAndAReExportIsADuplicate() throws Exception {
    List<MetricData> data = claudeCode(AggregationTemporality.DELTA, List.of(request("sess-m1", 0.0123456, 1200, 340, 8000, 500)))
        .getFirst();
    try (OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
        .setEndpoint("http://127.0.0.1:" + gateway.port() + "/v1/metrics").addHeader("Authorization", "Bearer " + KEY).build()) {
      assertThat(exporter.export(data).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(exporter.export(data).join(30, TimeUnit.SECONDS).isSuccess()).isTrue(); // a retry: nothing new
    }
    List<ReportedUsage> onTopic = usage(5);
    assertThat(onTopic).hasSize(5); // the session count is not usage: ignored and counted
    assertThat(onTopic).allSatisfy(u -> {
      assertThat(u.getTenantId()).isEqualTo("acme");
      assertThat(u.getSessionId()).isEqualTo("sess-m1");
      assertThat(u.getModel()).isEqualTo("claude-sonnet-4-6");
      assertThat(u.getUserId()).isEqualTo("acc-42");
      assertThat(u.getCumulative()).isFalse();
      assertThat(u.getEventId()).startsWith("ccm-");
    });
    assertThat(onTopic).extracting(u -> u.getKind() + "=" + u.getValue()).containsExactlyInAnyOrder("cost=12345600",
        "input=1200", "output=340", "cache_read=8000", "cache_creation=500");
    assertThat(opsMetrics()).contains("gateway_otlp_metric_points_ignored_total{metric=\"claude_code.session.count\"} 2.0")
        .contains("gateway_events_total{outcome=\"duplicate\",tenant=\"acme\"} 5.0");
  }

  @Test
  void cumulativeSeriesOverOtlpGrpcAndTheJsonEncodingWithRejectionsAsPartialSuccess() throws Exception {
    List<List<MetricData>> data = claudeCode(AggregationTemporality.CUMULATIVE,
        List.of(request("sess-m2", 0.01, 100, 10, 0, 0), request("sess-m2", 0.02, 200, 20, 0, 0)));
    List<MetricData> first = data.get(0);
    List<MetricData> second = data.get(1);
    String endpoint = "http://127.0.0.1:" + gateway.grpcPort();
    try (OtlpGrpcMetricExporter exporter = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint)
        .addHeader("Authorization", "Bearer " + KEY).build()) {
      assertThat(exporter.export(first).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(exporter.export(second).join(30, TimeUnit.SECONDS).isSuccess()).isTrue();
    }
    try (OtlpGrpcMetricExporter stranger = OtlpGrpcMetricExporter.builder().setEndpoint(endpoint)
        .addHeader("Authorization", "Bearer not-a-key").build()) {
      assertThat(stranger.export(first).join(30, TimeUnit.SECONDS).isSuccess()).isFalse();
    }
    // the same second export in the OTLP JSON encoding at the /v1/otlp path: every point already there
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    MetricsRequestMarshaler.create(second).writeJsonTo(json);
    HttpResponse<String> again = post("/v1/otlp/v1/metrics", json.toString(StandardCharsets.UTF_8));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(again.body()).at("/spendstream/duplicates").asInt()).isEqualTo(5);

    List<ReportedUsage> onTopic = usage(10);
    assertThat(onTopic).hasSize(10).allMatch(ReportedUsage::getCumulative);
    List<ReportedUsage> cost = onTopic.stream().filter(u -> u.getKind().equals("cost")).toList();
    assertThat(cost).extracting(ReportedUsage::getValue).containsExactlyInAnyOrder(10_000_000L, 30_000_000L);
    assertThat(cost.get(0).getSeriesId()).isEqualTo(cost.get(1).getSeriesId());
    assertThat(cost.get(0).getStartTime()).isEqualTo(cost.get(1).getStartTime());

    // without session.id a point cannot be compared with a session's calls: refused by name, not dropped silently
    String noSession = json.toString(StandardCharsets.UTF_8).replace("\"session.id\"", "\"session\"");
    HttpResponse<String> refused = post("/v1/metrics", noSession);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    JsonNode answer = Json.MAPPER.readTree(refused.body());
    assertThat(answer.at("/partialSuccess/rejectedDataPoints").asText()).isEqualTo("5");
    assertThat(answer.at("/partialSuccess/errorMessage").asText()).contains("session.id");
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
        .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
