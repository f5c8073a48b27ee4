package io.spendstream.alerting.deliver;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import java.util.Locale;

/**
 * One alert on its way to one destination, with the number of repeats of its group that the destination's
 * cooldown held back since the last notification.
 */
public record Notification(Alert alert, String destination, long suppressedRepeats) {
  /**
   * What receivers dedupe by: the alert's fingerprint plus its status (a resolve is a new event for the same
   * incident). Redeliveries after a crash or retry carry the same key.
   */
  public String idempotencyKey() {
    return alert.getAlertId() + ":" + alert.getStatus().name().toLowerCase(Locale.ROOT);
  }

  public boolean resolved() {
    return alert.getStatus() == AlertStatus.RESOLVED;
  }
}
