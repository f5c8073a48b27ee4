package io.spendstream.chargeback;

import io.spendstream.chargeback.invoice.BillingModel;
import io.spendstream.chargeback.invoice.InvoiceLine;
import io.spendstream.chargeback.usage.DayUsage;
import io.spendstream.chargeback.usage.Usage;
import io.spendstream.chargeback.usage.UsageKey;
import io.spendstream.schemas.Topics;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One day's reconciliation, pure: internal consistency of the three paths, our cost per model against the
 * invoice (tolerance relative to the invoice), and the provider's cost per model allocated to tenants pro rata
 * to their cost of that model (to their tokens when the model has no price; to __system__ when nobody used it).
 * Costs without a model (web search, code execution) are allocated pro rata to each tenant's total cost.
 */
public final class DayReconciler {
  private DayReconciler() {}

  /** {@code invoice} null: no invoice given. */
  public static DayResult reconcile(LocalDate day, DayUsage usage, List<InvoiceLine> invoice, BigDecimal tolerance) {
    List<Discrepancy> discrepancies = ConsistencyCheck.check(usage);
    Set<String> inconsistent = new HashSet<>();
    for (Discrepancy d : discrepancies) {
      inconsistent.add(tenant(d.where().tenant()) + "|" + BillingModel.of(d.where().model()));
    }
    // tenant -> billing model -> usage, from llm_calls (every priced call)
    TreeMap<String, TreeMap<String, Usage>> byTenant = new TreeMap<>();
    for (Map.Entry<UsageKey, Usage> e : usage.calls().entrySet()) {
      byTenant.computeIfAbsent(tenant(e.getKey().tenant()), k -> new TreeMap<>())
          .merge(BillingModel.of(e.getKey().model()), e.getValue(), Usage::plus);
    }
    TreeMap<String, Long> invoiceByModel = new TreeMap<>();
    if (invoice != null) {
      invoice.stream().filter(l -> l.day().equals(day)).forEach(l -> invoiceByModel.merge(l.model(), l.costNanos(), Math::addExact));
    }
    TreeSet<String> models = new TreeSet<>(invoiceByModel.keySet());
    byTenant.values().forEach(m -> models.addAll(m.keySet()));
    models.remove(BillingModel.NON_TOKEN);

    List<ModelComparison> comparisons = new ArrayList<>();
    Set<String> flagged = new HashSet<>();
    List<ChargebackRow> rows = new ArrayList<>();
    for (String model : models) {
      Map<String, Usage> users = new TreeMap<>();
      byTenant.forEach((t, m) -> {
        if (m.containsKey(model)) {
          users.put(t, m.get(model));
        }
      });
      long ours = users.values().stream().mapToLong(Usage::costNanos).sum();
      Map<String, Long> allocated = null;
      if (invoice != null) {
        long billed = invoiceByModel.getOrDefault(model, 0L);
        ModelComparison c = compare(model, ours, billed, tolerance);
        comparisons.add(c);
        if (c.flagged()) {
          flagged.add(model);
        }
        if (users.isEmpty()) {
          rows.add(new ChargebackRow(day, Topics.SYSTEM_TENANT, model, Usage.ZERO, billed, ChargebackStatus.UNMATCHED_INVOICE));
          continue;
        }
        allocated = allocate(billed, users);
      }
      TreeSet<String> billedTenants = new TreeSet<>(users.keySet());
      if (allocated != null) {
        billedTenants.addAll(allocated.keySet());
      }
      for (String t : billedTenants) {
        ChargebackStatus s = inconsistent.contains(t + "|" + model) ? ChargebackStatus.INCONSISTENT
            : invoice == null ? ChargebackStatus.NO_INVOICE
            : flagged.contains(model) ? ChargebackStatus.OUT_OF_TOLERANCE : ChargebackStatus.OK;
        rows.add(new ChargebackRow(day, t, model, users.getOrDefault(t, Usage.ZERO), allocated == null ? null : allocated.get(t), s));
      }
    }
    long nonToken = invoiceByModel.getOrDefault(BillingModel.NON_TOKEN, 0L);
    if (invoice != null && nonToken != 0) {
      Map<String, Usage> totals = new TreeMap<>();
      byTenant.forEach((t, m) -> totals.put(t, m.values().stream().reduce(Usage.ZERO, Usage::plus)));
      Map<String, Long> shares = totals.isEmpty() ? Map.of(Topics.SYSTEM_TENANT, nonToken) : allocate(nonToken, totals);
      shares.forEach((t, n) -> rows.add(new ChargebackRow(day, t, BillingModel.NON_TOKEN, Usage.ZERO, n, ChargebackStatus.OK)));
    }
    return new DayResult(day, rows, discrepancies, comparisons, invoice != null, usage.windowSizeMs());
  }

  private static ModelComparison compare(String model, long ours, long billed, BigDecimal tolerance) {
    if (billed == 0) {
      return new ModelComparison(model, ours, billed, null, ours != 0);
    }
    BigDecimal rel = BigDecimal.valueOf(Math.abs(ours - billed)).divide(BigDecimal.valueOf(Math.abs(billed)), MathContext.DECIMAL64);
    return new ModelComparison(model, ours, billed, rel, rel.compareTo(tolerance) > 0);
  }

  /** Pro rata to cost; to tokens when nothing was priced; to __system__ when there is neither. */
  private static Map<String, Long> allocate(long amount, Map<String, Usage> users) {
    Map<String, Long> byCost = new TreeMap<>();
    Map<String, Long> byTokens = new TreeMap<>();
    users.forEach((t, u) -> {
      byCost.put(t, Math.max(0, u.costNanos()));
      byTokens.put(t, u.tokens());
    });
    if (byCost.values().stream().mapToLong(Long::longValue).sum() > 0) {
      return ProRata.split(amount, byCost);
    }
    if (byTokens.values().stream().mapToLong(Long::longValue).sum() > 0) {
      return ProRata.split(amount, byTokens);
    }
    Map<String, Long> out = new TreeMap<>();
    users.keySet().forEach(t -> out.put(t, 0L));
    out.merge(Topics.SYSTEM_TENANT, amount, Long::sum);
    return out;
  }

  private static String tenant(String t) {
    return t == null || t.isBlank() ? Topics.SYSTEM_TENANT : t;
  }
}
