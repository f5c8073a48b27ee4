package io.spendstream.chargeback;

/** The verdict on one tenant × model × day row of the bill. */
public enum ChargebackStatus {
  /** Internally consistent, and within tolerance of the invoice. */
  OK,
  /** Internally consistent; no invoice was given to compare with. */
  NO_INVOICE,
  /** Our cost for the model differs from the invoice by more than the tolerance. */
  OUT_OF_TOLERANCE,
  /** llm_calls, the stream's windows and the hourly rollup disagree for this tenant and model that day. */
  INCONSISTENT,
  /** Invoice cost for a model nobody used in our data: charged to __system__. */
  UNMATCHED_INVOICE
}
