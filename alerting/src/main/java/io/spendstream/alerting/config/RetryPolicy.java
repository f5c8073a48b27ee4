package io.spendstream.alerting.config;

import io.spendstream.config.Problems;
import java.time.Duration;

/**
 * Bounded retries of one delivery: up to {@code maxAttempts} tries, waiting initialBackoff, 2x, 4x ... capped at
 * maxBackoff between them; then the alert is parked on the dead-letter topic.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
  public static RetryPolicy defaults() {
    return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30));
  }

  public RetryPolicy {
    Problems p = new Problems("retry");
    p.check(maxAttempts >= 1 && maxAttempts <= 100, "max_attempts", "must be 1..100");
    p.positive("initial_backoff", initialBackoff);
    p.positive("max_backoff", maxBackoff);
    p.throwIfAny();
  }

  /** The wait after the given failed attempt (1-based). */
  public Duration backoffAfter(int attempt) {
    long ms = initialBackoff.toMillis() << Math.min(attempt - 1, 20);
    return Duration.ofMillis(Math.min(ms, maxBackoff.toMillis()));
  }
}
