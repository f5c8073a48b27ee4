package io.spendstream.schemas;

/** The project's Kafka topics: a public interface, versioned by suffix. */
public final class Topics {
  /** Raw calls as emitted, {@code LlmCall}, key = {@link CallKeys} (tenant and prompt hash, else event_id). */
  public static final String LLM_CALLS = "llm.calls.v1";
  /** Deduplicated calls with exact cost, {@code PricedCall}. */
  public static final String LLM_CALLS_PRICED = "llm.calls.priced.v1";
  /** Final per-window totals, {@code CostWindow}. */
  public static final String COST_WINDOWS = "cost.windows.v1";
  /** Detector findings, {@code Alert}, key = alert_id. */
  public static final String ALERTS = "alerts.v1";
  /**
   * Calls that arrived on llm.calls.v1 under another key than {@link CallKeys}, re-keyed by the processor onto the
   * partition the key chooses (same partition count as llm.calls.v1; created by the processor when missing).
   */
  public static final String LLM_CALLS_REROUTED = "llm.calls.rerouted.v1";
  /**
   * A record of llm.calls.v1 with this header and no value is a tick: it moves its partition's event time to its
   * timestamp, so windows close on a partition without traffic. The gateway sends one per partition every second,
   * stamped with the newest event time it has published.
   */
  public static final String TICK_HEADER = "spendstream-tick";
  /**
   * Usage an emitter counted itself ({@code ReportedUsage}: Claude Code's cost and token metrics), key
   * {@code tenant|session}; read by the sink into ClickHouse to cross-check our priced calls, never billed.
   */
  public static final String USAGE_REPORTED = "usage.reported.v1";
  /** Records of llm.calls.v1 that could not be read, with the reason in headers. */
  public static final String LLM_CALLS_DLQ = "llm.calls.dlq.v1";
  /** Records the sink could not write to ClickHouse, with the reason in headers. */
  public static final String SINK_DLQ = "sink.dlq.v1";
  /** Alerts whose delivery failed after bounded retries. */
  public static final String ALERTS_DLQ = "alerts.dlq.v1";
  /**
   * Compacted: per alerting deployment, destination and alert group, the last notification delivered (key
   * {@code <group id>|<destination>|<alert group>}, value {@code <detected_at millis> <alert id>}); the
   * cooldowns' memory across restarts and instances. Created by the alerting service when missing.
   */
  public static final String ALERT_COOLDOWNS = "alerting.cooldowns.v1";

  /** Tenant for spend that has no tenant of its own (internal jobs). */
  public static final String SYSTEM_TENANT = "__system__";

  private Topics() {}
}
