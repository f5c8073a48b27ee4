package io.spendstream.stream.config;

import io.spendstream.config.Problems;
import java.util.Map;

/**
 * Every threshold, window and cooldown of the stream processor, with per-tenant detector overrides
 * already merged over the defaults. Load it with {@link ProcessorConfigLoader}.
 */
public record ProcessorConfig(DedupeConfig dedupe, WindowsConfig windows, RetryStormConfig retryStorm,
    AnomalyConfig anomaly, UnpricedConfig unpriced, CatalogueConfig alerts, Map<String, TenantDetectors> tenants) {

  /** A tenant's effective detector settings. */
  public record TenantDetectors(RetryStormConfig retryStorm, AnomalyConfig anomaly, CatalogueConfig alerts) {}

  public ProcessorConfig {
    tenants = Map.copyOf(tenants);
    Problems p = new Problems("processor");
    p.check(anomaly.bucket().toMillis() % windows.base().toMillis() == 0, "anomaly.bucket",
        "must be a multiple of the smallest window (" + windows.base() + "): buckets are sums of merged windows");
    for (java.time.Duration w : java.util.List.of(alerts.longestRouteWindow(), java.time.Duration.ofHours(1))) {
      p.check(w.toMillis() % windows.base().toMillis() == 0, "alerts",
          "rolling windows (" + w + ") must be multiples of the smallest window (" + windows.base() + ")");
    }
    p.throwIfAny();
  }

  /** A tenant's alert catalogue thresholds (its overrides over the global ones). */
  public CatalogueConfig alerts(String tenant) {
    TenantDetectors t = tenants.get(tenant);
    return t == null ? alerts : t.alerts();
  }

  public static ProcessorConfig defaults() {
    return new ProcessorConfig(DedupeConfig.defaults(), WindowsConfig.defaults(), RetryStormConfig.defaults(),
        AnomalyConfig.defaults(), UnpricedConfig.defaults(), CatalogueConfig.defaults(), Map.of());
  }

  public RetryStormConfig retryStorm(String tenant) {
    TenantDetectors t = tenants.get(tenant);
    return t == null ? retryStorm : t.retryStorm();
  }

  public AnomalyConfig anomaly(String tenant) {
    TenantDetectors t = tenants.get(tenant);
    return t == null ? anomaly : t.anomaly();
  }
}
