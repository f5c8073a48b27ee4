package io.spendstream.stream.catalogue;

import io.spendstream.stream.state.avro.Firing;
import java.time.Duration;

/**
 * Once per condition, with a cooldown, and a recovery: a condition that starts to hold fires once and stays firing
 * (no repeats) until it stops holding, which resolves it under the same alert_id. A condition that holds again
 * within {@code cooldown} of its last firing is suppressed (a flapping route pages once).
 */
public final class Conditions {
  private Conditions() {}

  public enum Step { NONE, FIRE, RESOLVE, SUPPRESSED }

  /** @param state the condition's state afterwards; null when there is nothing left to keep */
  public record Outcome(Step step, Firing state) {}

  public static Outcome evaluate(Firing previous, Boolean holds, long now, Duration cooldown, String newAlertId) {
    boolean active = previous != null && previous.getActive();
    if (holds == null) {
      return new Outcome(Step.NONE, previous);
    }
    if (holds) {
      if (active) {
        return new Outcome(Step.NONE, previous);
      }
      if (previous != null && now - previous.getLastFiredAt() < cooldown.toMillis()) {
        return new Outcome(Step.SUPPRESSED, previous);
      }
      return new Outcome(Step.FIRE, new Firing(newAlertId, true, now, now));
    }
    if (active) {
      return new Outcome(Step.RESOLVE, new Firing(previous.getAlertId(), false, previous.getSince(),
          previous.getLastFiredAt()));
    }
    if (previous != null && now - previous.getLastFiredAt() >= cooldown.toMillis()) {
      return new Outcome(Step.NONE, null);
    }
    return new Outcome(Step.NONE, previous);
  }
}
