package io.spendstream.stream.config;

import io.spendstream.config.Problems;
import java.time.Duration;

/** An UNPRICED_MODEL alert is raised at most once per model per {@code alertEvery} of event time. */
public record UnpricedConfig(Duration alertEvery) {
  public static UnpricedConfig defaults() {
    return new UnpricedConfig(Duration.ofHours(1));
  }

  public UnpricedConfig {
    Problems p = new Problems("unpriced_model");
    p.positive("alert_every", alertEvery);
    p.throwIfAny();
  }
}
