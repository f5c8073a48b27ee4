package io.spendstream.schemas.json;

import io.spendstream.schemas.CallLimits;
import java.time.Clock;
import java.time.Duration;

/**
 * How strictly to read the JSON form of an LlmCall.
 *
 * @param defaultTenant tenant for events without {@code tenant_id} (the API key's tenant at the
 *     gateway); null: the field is required
 * @param clock for the event-time window; null: no window check (replay of old traffic)
 * @param maxPast oldest accepted event time relative to the clock
 * @param maxFuture newest accepted event time relative to the clock (clock skew)
 * @param maxTokens upper bound of each token count, to catch unit or overflow mistakes
 */
public record ParseOptions(String defaultTenant, Clock clock, Duration maxPast, Duration maxFuture, long maxTokens) {
  public static final Duration DEFAULT_MAX_PAST = Duration.ofDays(7);
  public static final Duration DEFAULT_MAX_FUTURE = Duration.ofMinutes(5);
  public static final long DEFAULT_MAX_TOKENS = CallLimits.MAX_TOKENS_PER_COUNT;

  public ParseOptions {
    if (maxPast == null || maxPast.isNegative() || maxFuture == null || maxFuture.isNegative()) {
      throw new IllegalArgumentException("maxPast and maxFuture must be non-negative durations");
    }
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
    }
  }

  /** No default tenant, no event-time window: for replaying files of past traffic. */
  public static ParseOptions offline() {
    return new ParseOptions(null, null, DEFAULT_MAX_PAST, DEFAULT_MAX_FUTURE, DEFAULT_MAX_TOKENS);
  }

  /** Live ingest: events must lie within [now - 7 days, now + 5 minutes] of the clock. */
  public static ParseOptions live(Clock clock) {
    return new ParseOptions(null, clock, DEFAULT_MAX_PAST, DEFAULT_MAX_FUTURE, DEFAULT_MAX_TOKENS);
  }

  public ParseOptions withDefaultTenant(String tenant) {
    return new ParseOptions(tenant, clock, maxPast, maxFuture, maxTokens);
  }

  public ParseOptions withWindow(Duration past, Duration future) {
    return new ParseOptions(defaultTenant, clock, past, future, maxTokens);
  }
}
