package io.spendstream.ingest.otlp;

import io.spendstream.schemas.avro.ReportedUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Claude Code's metrics (names from Claude Code's monitoring documentation) to {@link ReportedUsage}: the cost and
 * token counters it keeps per session, for cross-checking our priced calls. They are never calls: the calls come from
 * its api_request events ({@link ClaudeCodeMapping}), and counting both would bill twice.
 *
 * <ul>
 *   <li>{@code claude_code.cost.usage} (USD, attribute {@code model}) → kind {@code cost}, value in nano-USD rounded
 *       half up from the point's shortest decimal form</li>
 *   <li>{@code claude_code.token.usage} (tokens, attributes {@code type} = input, output, cacheRead, cacheCreation and
 *       {@code model}) → kind input, output, cache_read or cache_creation</li>
 *   <li>every other metric (session, lines of code, commits, pull requests, edit decisions, active time, ...) →
 *       ignored and counted by name</li>
 * </ul>
 * Each point needs {@code session.id} (Claude Code sends it unless {@code OTEL_METRICS_INCLUDE_SESSION_ID=false}) and
 * a temporality; both delta (Claude Code's default) and cumulative sums are kept as sent, the SQL reads each right.
 */
public final class ClaudeCodeMetrics {
  public static final String COST = "claude_code.cost.usage";
  public static final String TOKENS = "claude_code.token.usage";
  private static final Set<String> IGNORED_KNOWN = Set.of("claude_code.session.count", "claude_code.lines_of_code.count",
      "claude_code.pull_request.count", "claude_code.commit.count", "claude_code.code_edit_tool.decision",
      "claude_code.active_time.total");
  private static final Map<String, String> TOKEN_TYPES = Map.of("input", "input", "output", "output", "cacheRead",
      "cache_read", "cacheCreation", "cache_creation");

  private ClaudeCodeMetrics() {}

  /** What became of one point. */
  public sealed interface Mapped {
    /** A usage point to publish. */
    record Usage(ReportedUsage usage) implements Mapped {}

    /** A point of a metric we read that cannot be used, with the field at fault. */
    record Rejected(String field, String message) implements Mapped {}

    /** A metric we do not read; {@code label} is bounded (for the metric's label). */
    record Ignored(String label) implements Mapped {}
  }

  public static Mapped map(OtlpMetricPoint p, String tenantId, Instant receivedAt) {
    boolean cost = COST.equals(p.metric());
    if (!cost && !TOKENS.equals(p.metric())) {
      return new Mapped.Ignored(IGNORED_KNOWN.contains(p.metric()) ? p.metric() : "other");
    }
    if (!"sum".equals(p.kind())) {
      return new Mapped.Rejected("data", p.metric() + " must be a sum (a counter), got a " + p.kind());
    }
    if (p.temporality() != OtlpMetricPoint.DELTA && p.temporality() != OtlpMetricPoint.CUMULATIVE) {
      return new Mapped.Rejected("aggregation_temporality", "must be delta or cumulative");
    }
    Map<String, Object> a = p.attributes();
    Object session = a.get("session.id");
    if (!(session instanceof String s) || s.isBlank() || s.length() > 256) {
      return new Mapped.Rejected("session.id", "required to compare with the session's calls (do not set"
          + " OTEL_METRICS_INCLUDE_SESSION_ID=false)");
    }
    String kind;
    long value;
    if (cost) {
      kind = "cost";
      Long nanos = ClaudeCodeMapping.nanos(p.value());
      if (nanos == null) {
        return new Mapped.Rejected("value", "a cost must be a finite amount of USD from 0 to 9e9");
      }
      value = nanos;
    } else {
      kind = a.get("type") instanceof String t ? TOKEN_TYPES.get(t) : null;
      if (kind == null) {
        return new Mapped.Rejected("type", "must be one of input, output, cacheRead, cacheCreation");
      }
      if (p.value() == null || p.value().signum() < 0 || p.value().stripTrailingZeros().scale() > 0
          || p.value().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
        return new Mapped.Rejected("value", "a token count must be a whole number from 0");
      }
      value = p.value().longValueExact();
    }
    if (p.timeNanos() <= 0) {
      return new Mapped.Rejected("time_unix_nano", "is required");
    }
    long start = p.startNanos() > 0 ? p.startNanos() : p.timeNanos();
    Object user = a.get("user.account_uuid") != null ? a.get("user.account_uuid") : a.get("user.id");
    return new Mapped.Usage(ReportedUsage.newBuilder()
        .setEventId("ccm-" + p.pointId())
        .setTenantId(tenantId)
        .setSource("claude_code")
        .setMetric(p.metric())
        .setKind(kind)
        .setSessionId(s)
        .setModel(a.get("model") instanceof String m && m.length() <= 256 ? m : "")
        .setUserId(user instanceof String u && !u.isBlank() && u.length() <= 256 ? u : null)
        .setSeriesId(p.seriesId())
        .setCumulative(p.temporality() == OtlpMetricPoint.CUMULATIVE)
        .setStartTime(Instant.ofEpochSecond(0, start))
        .setTime(Instant.ofEpochSecond(0, p.timeNanos()))
        .setValue(value)
        .setReceivedAt(receivedAt)
        .build());
  }
}
