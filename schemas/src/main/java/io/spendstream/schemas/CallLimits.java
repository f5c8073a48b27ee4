package io.spendstream.schemas;

import java.time.Duration;

/**
 * Plausibility limits of one call. The gateway answers 400 naming the field; the stream processor
 * dead-letters a call written to the topic directly that breaks them. They keep every per-call figure far
 * from overflow: with these limits a call's cost stays below {@link #MAX_COST_NANOS}, so a long sum only
 * overflows after ~9 million maximal calls in one window, which the aggregates check (never wrap).
 */
public final class CallLimits {
  /** Each token count of one call: 10x the largest context window offered today (1M tokens). */
  public static final long MAX_TOKENS_PER_COUNT = 10_000_000L;
  /** A call that took longer than a day is a unit mistake. */
  public static final long MAX_LATENCY_MS = Duration.ofDays(1).toMillis();
  /** A priced call costing more than $1,000,000 is a catalog or input mistake, not a call. */
  public static final long MAX_COST_NANOS = 1_000_000L * 1_000_000_000L;

  private CallLimits() {}
}
