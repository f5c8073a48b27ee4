package io.spendstream.stream.pricing;

import io.spendstream.schemas.CallLimits;
import io.spendstream.schemas.avro.LlmCall;
import java.util.ArrayList;
import java.util.List;

/**
 * What a call read from Kafka must satisfy to be priced. The gateway already enforces more, but services
 * may write to the topic directly, so the processor checks what pricing and the windows rely on.
 */
final class CallChecks {
  private CallChecks() {}

  static List<String> problems(LlmCall c) {
    List<String> p = new ArrayList<>();
    if (c.getEventId() == null || c.getEventId().isBlank()) {
      p.add("event_id: is empty");
    }
    if (c.getModel() == null || c.getModel().isBlank()) {
      p.add("model: is empty");
    }
    if (c.getRoute() == null || c.getRoute().isBlank()) {
      p.add("route: is empty");
    }
    noBar(p, "tenant_id", c.getTenantId());
    noControl(p, "tenant_id", c.getTenantId());
    noControl(p, "event_id", c.getEventId());
    noBar(p, "model", c.getModel());
    inRange(p, "input_tokens", c.getInputTokens(), CallLimits.MAX_TOKENS_PER_COUNT);
    inRange(p, "output_tokens", c.getOutputTokens(), CallLimits.MAX_TOKENS_PER_COUNT);
    inRange(p, "cache_read_input_tokens", c.getCacheReadInputTokens(), CallLimits.MAX_TOKENS_PER_COUNT);
    inRange(p, "cache_creation_input_tokens", c.getCacheCreationInputTokens(), CallLimits.MAX_TOKENS_PER_COUNT);
    inRange(p, "latency_ms", c.getLatencyMs(), CallLimits.MAX_LATENCY_MS);
    Long w5 = c.getCacheCreation5mInputTokens();
    Long w1 = c.getCacheCreation1hInputTokens();
    if ((w5 != null && w5 < 0) || (w1 != null && w1 < 0)) {
      p.add("cache_creation split: must be >= 0");
    } else if (w5 != null && w1 != null && w5 + w1 != c.getCacheCreationInputTokens()) {
      p.add("cache_creation_input_tokens: must equal the 5m + 1h split (" + (w5 + w1) + ")");
    }
    if (c.getTimestamp() == null || c.getTimestamp().toEpochMilli() <= 0) {
      p.add("timestamp: must be after 1970");
    }
    return p;
  }

  /** Ids are part of state keys and of alert ids: no control characters (the gateway allows none either). */
  private static void noControl(List<String> p, String field, String v) {
    if (v != null && v.chars().anyMatch(Character::isISOControl)) {
      p.add(field + ": must not contain control characters");
    }
  }

  /** Dimension keys are {@code tenant|model|route}: unambiguous only while tenant and model have no '|'. */
  private static void noBar(List<String> p, String field, String v) {
    if (v != null && v.indexOf('|') >= 0) {
      p.add(field + ": must not contain '|'");
    }
  }

  /** The gateway's limits (see {@link CallLimits}): they keep a call's cost and every sum of calls in range. */
  private static void inRange(List<String> p, String field, long v, long max) {
    if (v < 0) {
      p.add(field + ": must be >= 0, was " + v);
    } else if (v > max) {
      p.add(field + ": must be <= " + max + " (plausibility limit), was " + v);
    }
  }
}
