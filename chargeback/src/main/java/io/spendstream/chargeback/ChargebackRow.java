package io.spendstream.chargeback;

import io.spendstream.chargeback.usage.Usage;
import java.time.LocalDate;

/**
 * One tenant's bill for one model (family) on one day: usage and our cost from llm_calls; the tenant's share of
 * the provider's cost for the model when an invoice was given (null otherwise), and provider minus ours.
 */
public record ChargebackRow(LocalDate day, String tenant, String model, Usage usage, Long providerCostNanos,
    ChargebackStatus status) {
  public long ourCostNanos() {
    return usage.costNanos();
  }

  public Long differenceNanos() {
    return providerCostNanos == null ? null : providerCostNanos - usage.costNanos();
  }

  /** What the tenant is billed: the provider's cost when known, else ours. */
  public long billedNanos() {
    return providerCostNanos == null ? usage.costNanos() : providerCostNanos;
  }
}
