package io.spendstream.infra.kafka;

import java.time.Duration;

/**
 * A topic to create. Retention is by record timestamp (event time): replayed old events past it are
 * deleted by the broker, so replays into a live broker need a longer retention.
 */
public record TopicSpec(String name, int partitions, Duration retention) {
  public TopicSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("topic name is required");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1");
    }
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("topic " + name + ": retention must be positive");
    }
  }
}
