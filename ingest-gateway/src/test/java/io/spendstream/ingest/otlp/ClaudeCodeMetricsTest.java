package io.spendstream.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import io.spendstream.schemas.avro.ReportedUsage;
import io.spendstream.schemas.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Claude Code's metric points (names and attributes as its monitoring documentation lists them) to reported usage. */
class ClaudeCodeMetricsTest {
  private static final Instant AT = Instant.now().minus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.MILLIS);
  private static final long AT_NANOS = AT.toEpochMilli() * 1_000_000L;
  private static final OtlpSpans.Limits LIMITS = OtlpSpans.Limits.of(1_000);

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static NumberDataPoint.Builder point(String session, KeyValue... more) {
    NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setStartTimeUnixNano(AT_NANOS - 60_000_000_000L)
        .setTimeUnixNano(AT_NANOS).addAttributes(kv("model", "claude-sonnet-4-6")).addAttributes(kv("user.id", "device-9"));
    if (session != null) {
      p.addAttributes(kv("session.id", session));
    }
    for (KeyValue kv : more) {
      p.addAttributes(kv);
    }
    return p;
  }

  private static Metric sum(String name, AggregationTemporality t, NumberDataPoint.Builder... points) {
    Sum.Builder s = Sum.newBuilder().setAggregationTemporality(t).setIsMonotonic(true);
    for (NumberDataPoint.Builder p : points) {
      s.addDataPoints(p);
    }
    return Metric.newBuilder().setName(name).setSum(s).build();
  }

  private static List<OtlpMetricPoint> export(Metric... metrics) throws Exception {
    ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "claude-code")))
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics)))).build();
    return OtlpMetrics.fromProtobuf(req.toByteArray(), LIMITS);
  }

  private static ClaudeCodeMetrics.Mapped map(OtlpMetricPoint p) {
    return ClaudeCodeMetrics.map(p, "acme", AT.plusSeconds(1));
  }

  private static ReportedUsage usage(OtlpMetricPoint p) {
    return ((ClaudeCodeMetrics.Mapped.Usage) map(p)).usage();
  }

  @Test
  void costAndTokenPointsBecomeReportedUsageWithExactValues() throws Exception {
    List<OtlpMetricPoint> points = export(
        sum(ClaudeCodeMetrics.COST, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point("s1").setAsDouble(0.0123456)),
        sum(ClaudeCodeMetrics.TOKENS, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
            point("s1", kv("type", "input")).setAsDouble(1200.0), point("s1", kv("type", "cacheRead")).setAsInt(8000),
            point("s1", kv("type", "cacheCreation")).setAsInt(500), point("s1", kv("type", "output")).setAsInt(340)));
    List<ReportedUsage> u = points.stream().map(ClaudeCodeMetricsTest::usage).toList();
    assertThat(u).extracting(x -> x.getKind() + "=" + x.getValue()).containsExactly("cost=12345600", "input=1200",
        "cache_read=8000", "cache_creation=500", "output=340");
    ReportedUsage cost = u.getFirst();
    assertThat(cost.getTenantId()).isEqualTo("acme");
    assertThat(cost.getSessionId()).isEqualTo("s1");
    assertThat(cost.getUserId()).isEqualTo("device-9");
    assertThat(cost.getModel()).isEqualTo("claude-sonnet-4-6");
    assertThat(cost.getCumulative()).isFalse();
    assertThat(cost.getTime()).isEqualTo(AT);
    assertThat(cost.getStartTime()).isEqualTo(AT.minusSeconds(60));
    assertThat(cost.getSource()).isEqualTo("claude_code");
    // each point its own series (the token type is an attribute), and the ids stable across exports
    assertThat(u).extracting(ReportedUsage::getSeriesId).doesNotHaveDuplicates();
    assertThat(export(sum(ClaudeCodeMetrics.COST, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
        point("s1").setAsDouble(0.0123456))).stream().map(ClaudeCodeMetricsTest::usage).map(ReportedUsage::getEventId))
        .containsExactly(cost.getEventId());
  }

  @Test
  void cumulativePointsOfOneSeriesShareItsIdButNotTheirs() throws Exception {
    List<OtlpMetricPoint> points = export(sum(ClaudeCodeMetrics.COST, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
        point("s2").setAsDouble(0.01), point("s2").setAsDouble(0.03).setTimeUnixNano(AT_NANOS + 60_000_000_000L)));
    ReportedUsage a = usage(points.get(0));
    ReportedUsage b = usage(points.get(1));
    assertThat(a.getCumulative()).isTrue();
    assertThat(a.getSeriesId()).isEqualTo(b.getSeriesId());
    assertThat(a.getEventId()).isNotEqualTo(b.getEventId());
    assertThat(List.of(a.getValue(), b.getValue())).containsExactly(10_000_000L, 30_000_000L);
  }

  @Test
  void theJsonEncodingReadsAsProtobufDoes() throws Exception {
    Metric cost = sum(ClaudeCodeMetrics.COST, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point("s3").setAsDouble(0.5));
    String json = """
        {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}}]},
         "scopeMetrics":[{"metrics":[{"name":"claude_code.cost.usage","sum":{"aggregationTemporality":1,"isMonotonic":true,
         "dataPoints":[{"startTimeUnixNano":"%d","timeUnixNano":"%d","asDouble":0.5,"attributes":[
          {"key":"model","value":{"stringValue":"claude-sonnet-4-6"}},{"key":"user.id","value":{"stringValue":"device-9"}},
          {"key":"session.id","value":{"stringValue":"s3"}}]}]}}]}]}]}""".formatted(AT_NANOS - 60_000_000_000L, AT_NANOS);
    ReportedUsage fromJson = usage(OtlpMetrics.fromJson(Json.MAPPER.readTree(json), LIMITS).getFirst());
    assertThat(fromJson).isEqualTo(usage(export(cost).getFirst()));
  }

  @Test
  void unusablePointsAreRejectedByFieldAndOtherMetricsIgnoredUnderBoundedNames() throws Exception {
    List<OtlpMetricPoint> points = export(
        sum(ClaudeCodeMetrics.COST, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point(null).setAsDouble(0.1)),
        sum(ClaudeCodeMetrics.TOKENS, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
            point("s4", kv("type", "input")).setAsDouble(10.5), point("s4", kv("type", "thinking")).setAsInt(1)),
        sum(ClaudeCodeMetrics.COST, AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED, point("s4").setAsDouble(0.1)),
        sum(ClaudeCodeMetrics.COST, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point("s4").setAsDouble(-0.1)),
        sum("claude_code.session.count", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point("s4").setAsInt(1)),
        sum("claude_code.made_up." + "x".repeat(100), AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA,
            point("s4").setAsInt(1)),
        Metric.newBuilder().setName(ClaudeCodeMetrics.COST).setGauge(Gauge.newBuilder().addDataPoints(point("s4"))).build());
    assertThat(points.stream().map(ClaudeCodeMetricsTest::map).map(m -> switch (m) {
      case ClaudeCodeMetrics.Mapped.Rejected r -> "rejected " + r.field();
      case ClaudeCodeMetrics.Mapped.Ignored i -> "ignored " + i.label();
      case ClaudeCodeMetrics.Mapped.Usage u -> "usage";
    })).containsExactly("rejected session.id", "rejected value", "rejected type", "rejected aggregation_temporality",
        "rejected value", "ignored claude_code.session.count", "ignored other", "rejected data");
  }

  @Test
  void dataPointsAreCountedAgainstTheLimitBeforeAnyIsRead() throws Exception {
    NumberDataPoint.Builder[] many = new NumberDataPoint.Builder[1001];
    java.util.Arrays.setAll(many, i -> point("s5").setAsInt(i));
    Metric m = sum(ClaudeCodeMetrics.TOKENS, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, many);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> export(m)).isInstanceOf(OtlpSpans.TooManySpans.class)
        .hasMessageContaining("data points");
  }
}
