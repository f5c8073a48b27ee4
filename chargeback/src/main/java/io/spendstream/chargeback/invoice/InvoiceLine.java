package io.spendstream.chargeback.invoice;

import java.time.LocalDate;

/** One line of the provider's bill: a day, a model family ({@link BillingModel}), a token type, nano-USD. */
public record InvoiceLine(LocalDate day, String model, String tokenType, long costNanos) {}
