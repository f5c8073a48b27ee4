package io.spendstream.chargeback.output;

import io.spendstream.chargeback.ChargebackRow;
import io.spendstream.chargeback.DayResult;
import io.spendstream.chargeback.Discrepancy;
import io.spendstream.chargeback.ModelComparison;
import io.spendstream.pricing.Money;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of one day under {@code OUT/YYYY-MM-DD/}: {@code chargeback.csv} (every tenant × model row),
 * {@code tenants/<tenant>.csv} (one bill per tenant, what you send each team), {@code discrepancies.csv} and
 * {@code invoice-comparison.csv}. Costs are exact USD with nine decimals plus the integer nano-USD.
 */
public final class CsvReports {
  static final List<String> BILL = List.of("date", "tenant_id", "model", "calls", "input_tokens", "output_tokens",
      "cache_read_input_tokens", "cache_creation_input_tokens", "our_cost_usd", "provider_cost_usd", "billed_usd",
      "difference_usd", "our_cost_nanos", "provider_cost_nanos", "status");

  private CsvReports() {}

  public static void write(Path dayDir, DayResult day) {
    List<List<String>> all = new ArrayList<>();
    Map<String, List<List<String>>> byTenant = new TreeMap<>();
    for (ChargebackRow r : day.rows()) {
      List<String> row = bill(r);
      all.add(row);
      byTenant.computeIfAbsent(r.tenant(), k -> new ArrayList<>()).add(row);
    }
    CsvFile.write(dayDir.resolve("chargeback.csv"), BILL, all);
    byTenant.forEach((t, rows) -> CsvFile.write(dayDir.resolve("tenants").resolve(fileName(t) + ".csv"), BILL, rows));
    List<List<String>> d = new ArrayList<>();
    for (Discrepancy x : day.discrepancies()) {
      d.add(List.of(day.day().toString(), x.where().tenant(), x.where().model(), x.where().hour().toString(), x.paths(),
          x.difference(), x.diagnosis()));
    }
    CsvFile.write(dayDir.resolve("discrepancies.csv"), List.of("date", "tenant_id", "model", "hour", "paths", "difference",
        "diagnosis"), d);
    List<List<String>> c = new ArrayList<>();
    for (ModelComparison m : day.comparisons()) {
      c.add(List.of(day.day().toString(), m.model(), Money.exactUsd(m.ourNanos()), Money.exactUsd(m.invoiceNanos()),
          m.relativeDifference() == null ? "" : m.relativeDifference().toPlainString(), m.flagged() ? "FLAGGED" : "OK"));
    }
    CsvFile.write(dayDir.resolve("invoice-comparison.csv"), List.of("date", "model", "our_cost_usd", "invoice_usd",
        "relative_difference", "verdict"), c);
  }

  private static List<String> bill(ChargebackRow r) {
    List<String> row = new ArrayList<>(List.of(r.day().toString(), r.tenant(), r.model(), Long.toString(r.usage().calls()),
        Long.toString(r.usage().inputTokens()), Long.toString(r.usage().outputTokens()), Long.toString(r.usage().cacheReadTokens()),
        Long.toString(r.usage().cacheCreationTokens()), Money.exactUsd(r.ourCostNanos())));
    row.add(r.providerCostNanos() == null ? null : Money.exactUsd(r.providerCostNanos()));
    row.add(Money.exactUsd(r.billedNanos()));
    row.add(r.differenceNanos() == null ? null : Money.exactUsd(r.differenceNanos()));
    row.add(Long.toString(r.ourCostNanos()));
    row.add(r.providerCostNanos() == null ? null : Long.toString(r.providerCostNanos()));
    row.add(r.status().name());
    return row;
  }

  /** Tenant ids may hold characters a file system refuses; keep letters, digits, '-', '_' and '.'. */
  static String fileName(String tenant) {
    String s = tenant.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.startsWith(".") ? "_" + s : s;
  }
}
