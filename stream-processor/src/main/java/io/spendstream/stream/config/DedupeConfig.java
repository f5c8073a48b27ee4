package io.spendstream.stream.config;

import io.spendstream.config.Problems;
import io.spendstream.schemas.json.ParseOptions;
import java.time.Duration;

/**
 * A repeat of an event_id within {@code horizon} of event time of its first copy is dropped. Claims are kept for
 * calls up to {@code maxAge} behind the newest call of their partition (the gateway's {@code max_past}): a backfill
 * that old, running beside live traffic or restored after a crash, is still deduplicated. An older call is
 * dead-lettered rather than priced without the check.
 */
public record DedupeConfig(Duration horizon, Duration maxAge) {
  public static DedupeConfig defaults() {
    return new DedupeConfig(Duration.ofHours(24), ParseOptions.DEFAULT_MAX_PAST);
  }

  public DedupeConfig {
    Problems p = new Problems("dedupe");
    p.positive("horizon", horizon);
    p.positive("max_age", maxAge);
    p.throwIfAny();
  }

  /** How long claims stay: a call {@link #maxAge} old and a repeat up to two horizons (buckets) around it. */
  public Duration claimsRetention() {
    Duration r = maxAge.plus(horizon.multipliedBy(2));
    return r.compareTo(horizon.multipliedBy(3)) < 0 ? horizon.multipliedBy(3) : r;
  }
}
