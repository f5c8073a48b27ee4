package io.spendstream.chargeback.output;

import io.spendstream.chargeback.ChargebackRow;
import io.spendstream.chargeback.DayResult;
import io.spendstream.chargeback.Discrepancy;
import io.spendstream.chargeback.ModelComparison;
import io.spendstream.pricing.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The one-screen summary of a run: per day, per tenant totals, invoice verdicts, the first discrepancies. */
public final class Summary {
  private static final int MAX_DISCREPANCIES = 8;

  private Summary() {}

  public static String render(List<DayResult> days, String outDir) {
    StringBuilder b = new StringBuilder();
    for (DayResult d : days) {
      b.append(String.format("%s  %s  our cost %s, billed %s%s%n", d.day(), d.ok() ? "OK" : "NEEDS ATTENTION",
          Money.exactUsd(d.ourTotalNanos()), Money.exactUsd(d.billedTotalNanos()),
          d.invoiceGiven() ? "" : " (no invoice: billed at our list-price cost)"));
      Map<String, long[]> tenants = new TreeMap<>();
      for (ChargebackRow r : d.rows()) {
        long[] t = tenants.computeIfAbsent(r.tenant(), k -> new long[3]);
        t[0] += r.usage().calls();
        t[1] += r.ourCostNanos();
        t[2] += r.billedNanos();
      }
      b.append(String.format("  %-24s %10s %20s %20s%n", "tenant", "calls", "our cost USD", "billed USD"));
      tenants.forEach((t, v) -> b.append(String.format("  %-24s %10d %20s %20s%n", t, v[0], Money.exactUsd(v[1]), Money.exactUsd(v[2]))));
      for (ModelComparison c : d.comparisons()) {
        b.append(String.format("  invoice %-22s ours %s vs invoice %s  %s  %s%n", c.model(), Money.exactUsd(c.ourNanos()),
            Money.exactUsd(c.invoiceNanos()), c.relativeDifference() == null ? "n/a"
                : c.relativeDifference().multiply(BigDecimal.valueOf(100)).setScale(2, RoundingMode.HALF_EVEN) + "%",
            c.flagged() ? "FLAGGED (over tolerance)" : "ok"));
      }
      if (d.windowSizeMs() == 0 && !d.rows().isEmpty()) {
        b.append("  note: no stream windows for this day: every call shows as missing from the windows\n");
      }
      int n = 0;
      for (Discrepancy x : d.discrepancies()) {
        if (n++ == MAX_DISCREPANCIES) {
          b.append(String.format("  ... %d more in discrepancies.csv%n", d.discrepancies().size() - MAX_DISCREPANCIES));
          break;
        }
        b.append(String.format("  INCONSISTENT %s %s %s: %s: %s%n    -> %s%n", x.where().tenant(), x.where().model(),
            x.where().hour(), x.paths(), x.difference(), x.diagnosis()));
      }
    }
    b.append("files: ").append(outDir).append("/<date>/ (chargeback.csv, tenants/, focus.csv, discrepancies.csv,"
        + " invoice-comparison.csv); table chargeback_daily\n");
    return b.toString();
  }
}
