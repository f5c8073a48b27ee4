package io.spendstream.stream.config;

import io.spendstream.config.Problems;
import java.time.Duration;

/** A repeat of an event_id within {@code horizon} of event time of its first copy is dropped. */
public record DedupeConfig(Duration horizon) {
  public static DedupeConfig defaults() {
    return new DedupeConfig(Duration.ofHours(24));
  }

  public DedupeConfig {
    Problems p = new Problems("dedupe");
    p.positive("horizon", horizon);
    p.throwIfAny();
  }
}
