package io.spendstream.chargeback;

import java.time.LocalDate;
import java.util.List;

/** Everything reconciliation found for one day. */
public record DayResult(LocalDate day, List<ChargebackRow> rows, List<Discrepancy> discrepancies,
    List<ModelComparison> comparisons, boolean invoiceGiven, long windowSizeMs) {
  public DayResult {
    rows = List.copyOf(rows);
    discrepancies = List.copyOf(discrepancies);
    comparisons = List.copyOf(comparisons);
  }

  /** Nothing inconsistent and nothing out of tolerance: what the exit code reports. */
  public boolean ok() {
    return discrepancies.isEmpty() && comparisons.stream().noneMatch(ModelComparison::flagged)
        && rows.stream().noneMatch(r -> r.status() == ChargebackStatus.UNMATCHED_INVOICE);
  }

  public long ourTotalNanos() {
    return rows.stream().mapToLong(ChargebackRow::ourCostNanos).sum();
  }

  public long billedTotalNanos() {
    return rows.stream().mapToLong(ChargebackRow::billedNanos).sum();
  }
}
