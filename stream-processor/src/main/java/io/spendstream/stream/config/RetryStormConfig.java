package io.spendstream.stream.config;

import io.spendstream.config.Problems;
import java.time.Duration;

/**
 * A retry storm is more than {@code thresholdCalls} calls of one tenant with one prompt hash within a
 * sliding {@code window} of event time; after an alert the pair stays silent for {@code cooldown}.
 */
public record RetryStormConfig(int thresholdCalls, Duration window, Duration cooldown) {
  /** State keeps threshold + 1 calls per prompt hash, so the threshold is bounded. */
  public static final int MAX_THRESHOLD = 10_000;

  public static RetryStormConfig defaults() {
    return new RetryStormConfig(5, Duration.ofSeconds(60), Duration.ofMinutes(10));
  }

  public RetryStormConfig {
    Problems p = new Problems("retry_storm");
    p.check(thresholdCalls >= 1 && thresholdCalls <= MAX_THRESHOLD, "threshold_calls", "must be 1.." + MAX_THRESHOLD);
    p.positive("window", window);
    p.notNegative("cooldown", cooldown);
    p.throwIfAny();
  }
}
