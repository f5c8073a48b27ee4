package io.spendstream.alerting;

import io.spendstream.pricing.Money;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Alerts as people read them: one line for a terminal, the key numbers for chat and pager messages. */
public final class AlertText {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private AlertText() {}

  public static String time(Instant t) {
    return TIME.format(t);
  }

  /** An amount in the alert's unit: {@code 6 calls} or {@code $12.50}. */
  public static String amount(Alert a, long value) {
    return "nano_usd".equals(a.getObservedUnit()) ? Money.usd(value) : value + " " + a.getObservedUnit();
  }

  /** Money as dollars; counts bare (the unit was said with the observed value). */
  private static String reference(Alert a, long value) {
    return "nano_usd".equals(a.getObservedUnit()) ? Money.usd(value) : Long.toString(value);
  }

  /** {@code 6 calls vs threshold 5} or {@code $20.00 vs baseline $2.10 (threshold $2.70), z=8.3}. */
  public static String value(Alert a) {
    StringBuilder b = new StringBuilder(amount(a, a.getObservedValue()));
    if (a.getBaseline() != null) {
      b.append(" vs baseline ").append(reference(a, a.getBaseline())).append(" (threshold ")
          .append(reference(a, a.getThreshold())).append(')');
    } else {
      b.append(" vs threshold ").append(reference(a, a.getThreshold()));
    }
    if (a.getZScore() != null) {
      b.append(String.format(Locale.ROOT, ", z=%.1f", a.getZScore()));
    }
    return b.toString();
  }

  /** The terminal line of {@code spendstream alerts tail}. */
  public static String line(Alert a) {
    return String.format("%s  %-8s %-16s %-14s %s=%s  %s  cost %s  %s%s", time(a.getDetectedAt()), a.getSeverity(),
        a.getTenantId(), a.getType(), a.getDimension(), a.getDimensionValue(), value(a), Money.usd(a.getCostNanos()),
        a.getMessage(), a.getStatus() == AlertStatus.RESOLVED ? "  [RESOLVED]" : "");
  }
}
