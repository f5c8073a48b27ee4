package io.spendstream.chargeback;

import io.spendstream.chargeback.output.FocusVersion;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;

/**
 * What a reconciliation run does: days {@code from}..{@code to} inclusive (UTC), the invoice (null: none), the
 * tolerance as a fraction (0.02 = 2 %), where files go, the billing account named in the FOCUS export and the FOCUS
 * version it follows.
 */
public record ReconcileSettings(String clickhouseUrl, String user, String password, String database, LocalDate from,
    LocalDate to, Path invoice, BigDecimal tolerance, Path outDir, String billingAccount, FocusVersion focusVersion) {
  public ReconcileSettings {
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("--since " + from + " is after --date " + to);
    }
    if (to.plusDays(1).isAfter(LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1))) {
      throw new IllegalArgumentException("--date " + to + " is in the future");
    }
    if (tolerance.signum() < 0 || tolerance.compareTo(BigDecimal.ONE) > 0) {
      throw new IllegalArgumentException("--tolerance must be between 0% and 100%, got " + tolerance);
    }
    if (from.plusDays(366).isBefore(to)) {
      throw new IllegalArgumentException("at most 366 days per run (--since " + from + " --date " + to + ")");
    }
  }
}
