package io.spendstream.chargeback;

import java.math.BigDecimal;

/** Our total for a model on a day against the invoice's; {@code relativeDifference} = |ours − invoice| / invoice. */
public record ModelComparison(String model, long ourNanos, long invoiceNanos, BigDecimal relativeDifference, boolean flagged) {}
