package io.spendstream.cli;

import io.spendstream.chargeback.DayResult;
import io.spendstream.chargeback.Reconcile;
import io.spendstream.chargeback.ReconcileSettings;
import io.spendstream.chargeback.output.FocusVersion;
import io.spendstream.chargeback.output.Summary;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream reconcile}: the nightly chargeback reconciliation. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = {"Reconciles a UTC day: llm_calls against the stream's cost windows and the hourly rollup (must be equal",
        "to the nano-USD), and against the provider's invoice (--invoice: CSV date,model,token_type,cost_usd or the JSON",
        "of Anthropic's cost report) within --tolerance; allocates the invoice to tenants pro rata. Writes chargeback_daily",
        "(a rerun replaces the day) and, under --out/<date>/, chargeback.csv, tenants/<tenant>.csv, focus.csv (FinOps",
        "FOCUS 1.3, or 1.1 with --focus-version), discrepancies.csv and invoice-comparison.csv."},
    footer = {"", "Exit codes: 0 all consistent and within tolerance; 3 something inconsistent or out of tolerance (see the",
        "summary and discrepancies.csv); 2 bad arguments or input; 1 ClickHouse or I/O failure.",
        "Run it after the day's windows are final (grace is 5 min), e.g. at 00:30 UTC for yesterday."})
final class ReconcileCommand implements Callable<Integer> {
  static final int FINDINGS = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--date", description = "Day to reconcile, YYYY-MM-DD (UTC). Default: yesterday.")
  LocalDate date;

  @Option(names = "--since", description = "Reconcile every day from this one through --date (late events, reruns).")
  LocalDate since;

  @Option(names = "--invoice", description = "The provider's bill for the day(s): CSV or cost-report JSON.")
  Path invoice;

  @Option(names = "--tolerance", defaultValue = "2%", description = "Largest accepted difference to the invoice per model,"
      + " relative to the invoice: 2%% or 0.02 (default: 2%%).")
  String tolerance;

  @Option(names = "--out", defaultValue = "reconcile", description = "Directory for the files (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--account", defaultValue = "anthropic", description = "BillingAccountId in the FOCUS export (default: ${DEFAULT-VALUE}).")
  String account;

  @Option(names = "--focus-version", defaultValue = "1.3", description = "FinOps FOCUS version of focus.csv: 1.3 or 1.1"
      + " (1.1 for tools that do not read 1.3's ServiceProviderName and HostProviderName yet; default: ${DEFAULT-VALUE}).")
  String focusVersion;

  @Mixin
  ClickHouseOptions clickhouse;

  @Override
  public Integer call() {
    LocalDate to = date != null ? date : LocalDate.now(ZoneOffset.UTC).minusDays(1);
    ReconcileSettings s = ReconcileSettings.builder(clickhouse.url, to).user(clickhouse.user).password(clickhouse.password())
        .database(clickhouse.database).since(since != null ? since : to).invoice(invoice).tolerance(parseTolerance(tolerance))
        .outDir(out.toAbsolutePath()).billingAccount(account).focusVersion(FocusVersion.parse(focusVersion)).build();
    List<DayResult> days = Reconcile.run(s, Clock.systemUTC());
    PrintWriter w = spec.commandLine().getOut();
    w.print(Summary.render(days, s.outDir().toString()));
    w.flush();
    return days.stream().allMatch(DayResult::ok) ? 0 : FINDINGS;
  }

  static BigDecimal parseTolerance(String text) {
    String t = text.trim();
    try {
      return t.endsWith("%") ? new BigDecimal(t.substring(0, t.length() - 1).trim()).movePointLeft(2) : new BigDecimal(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--tolerance: '" + text + "' is not a percentage like 2% or a fraction like 0.02");
    }
  }
}
