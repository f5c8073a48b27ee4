package io.spendstream.tools.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.tools.bench.CallGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Days of hourly history for one demo tenant, sent before the live traffic so that the detectors that compare with a
 * baseline have one, each with its incident in the last hours: on {@code /v1/rag} the cache stops hitting (6 h ago,
 * CACHE_RATIO_REGRESSION), on {@code /v1/support} prompts grow 2.5x (12 h ago, PROMPT_GROWTH), on {@code /v1/plan}
 * the model moves from Sonnet to Opus (3 h ago, MODEL_MIX_SHIFT). The processor finalises these windows as soon as
 * live traffic moves event time past them, so the alerts appear within a minute of the start (with their past
 * detection times). Pure.
 */
public final class DemoHistory {
  static final String CACHE_ROUTE = "/v1/rag";
  static final String PROMPT_ROUTE = "/v1/support";
  static final String MIX_ROUTE = "/v1/plan";
  private final CallGenerator calls;

  public DemoHistory(long seed) {
    this.calls = new CallGenerator(seed);
  }

  /** {@code days} of history up to the hour before {@code now}'s (younger than the gateway's 7-day limit). */
  public List<ObjectNode> calls(String tenant, Instant now, int days) {
    Instant end = now.truncatedTo(ChronoUnit.HOURS);
    Instant start = end.minus(Duration.ofDays(days));
    List<ObjectNode> out = new ArrayList<>();
    for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
      long before = Duration.between(hour, end).toHours();
      for (int i = 0; i < 6; i++) {
        Instant at = hour.plus(Duration.ofMinutes(i * 10L + 3));
        out.add(call(tenant, at, CACHE_ROUTE, "claude-sonnet-4-6-20260315", before <= 6 ? 20_000 : 2_000,
            before <= 6 ? 0 : 18_000));
        out.add(call(tenant, at, PROMPT_ROUTE, "claude-haiku-4-5", before <= 12 ? 25_000 : 10_000, 0));
      }
      for (int i = 0; i < 12; i++) {
        out.add(call(tenant, hour.plus(Duration.ofMinutes(i * 5L + 1)), MIX_ROUTE,
            before <= 3 ? "claude-opus-4-7" : "claude-sonnet-4-6-20260315", 3_000, 0));
      }
    }
    return out;
  }

  private ObjectNode call(String tenant, Instant at, String route, String model, long input, long cacheRead) {
    ObjectNode e = calls.next(tenant, at);
    e.put("route", route).put("model", model).put("status_code", 200).put("stop_reason", "end_turn").put("latency_ms", 1200)
        .remove("error_type");
    ObjectNode usage = (ObjectNode) e.get("usage");
    usage.put("input_tokens", input).put("output_tokens", 400).put("cache_read_input_tokens", cacheRead)
        .put("cache_creation_input_tokens", 0);
    usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", 0).put("ephemeral_1h_input_tokens", 0);
    return e;
  }
}
