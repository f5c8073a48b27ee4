package io.spendstream.dashboard;

import java.util.Map;
import java.util.Optional;

/**
 * The budgets the dashboard draws spend against, as the stream processor's config sets them (it is their source: the
 * BUDGET alerts fire from the same numbers): a default for every tenant and per-tenant overrides. Nano-USD; a null
 * period has no budget.
 */
public record Budgets(TenantBudget defaults, Map<String, TenantBudget> tenants) {
  public static final Budgets NONE = new Budgets(new TenantBudget(null, null), Map.of());

  /** One tenant's daily and monthly budget (UTC day and month). */
  public record TenantBudget(Long dailyNanos, Long monthlyNanos) {
    public boolean any() {
      return dailyNanos != null || monthlyNanos != null;
    }
  }

  public Budgets {
    tenants = Map.copyOf(tenants);
  }

  public Optional<TenantBudget> of(String tenant) {
    TenantBudget b = tenants.getOrDefault(tenant, defaults);
    return b.any() ? Optional.of(b) : Optional.empty();
  }
}
