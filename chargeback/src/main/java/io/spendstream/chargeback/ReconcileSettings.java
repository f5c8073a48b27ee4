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

  /**
   * One day against this ClickHouse, with the defaults of {@code spendstream reconcile}: user default without a
   * password, database spendstream, no invoice, 2 % tolerance, files under ./reconcile, account "anthropic", FOCUS 1.3.
   */
  public static Builder builder(String clickhouseUrl, LocalDate day) {
    return new Builder(clickhouseUrl, day);
  }

  /** Settings by name; {@link #build()} checks them together. */
  public static final class Builder {
    private final String clickhouseUrl;
    private String user = "default";
    private String password = "";
    private String database = "spendstream";
    private LocalDate from;
    private final LocalDate to;
    private Path invoice;
    private BigDecimal tolerance = new BigDecimal("0.02");
    private Path outDir = Path.of("reconcile").toAbsolutePath();
    private String billingAccount = "anthropic";
    private FocusVersion focusVersion = FocusVersion.V1_3;

    private Builder(String clickhouseUrl, LocalDate day) {
      this.clickhouseUrl = clickhouseUrl;
      this.from = day;
      this.to = day;
    }

    public Builder user(String v) {
      user = v;
      return this;
    }

    public Builder password(String v) {
      password = v;
      return this;
    }

    public Builder database(String v) {
      database = v;
      return this;
    }

    /** The first day of the run (the day given to {@link ReconcileSettings#builder} is the last). */
    public Builder since(LocalDate v) {
      from = v;
      return this;
    }

    /** The provider's bill; null for none. */
    public Builder invoice(Path v) {
      invoice = v;
      return this;
    }

    /** A fraction: 0.02 = 2 %. */
    public Builder tolerance(BigDecimal v) {
      tolerance = v;
      return this;
    }

    public Builder outDir(Path v) {
      outDir = v;
      return this;
    }

    public Builder billingAccount(String v) {
      billingAccount = v;
      return this;
    }

    public Builder focusVersion(FocusVersion v) {
      focusVersion = v;
      return this;
    }

    public ReconcileSettings build() {
      return new ReconcileSettings(clickhouseUrl, user, password, database, from, to, invoice, tolerance, outDir,
          billingAccount, focusVersion);
    }
  }
}
