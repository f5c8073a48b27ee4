package io.spendstream.stream.config;

import java.util.Map;

/**
 * Every threshold, window and cooldown of the stream processor, with per-tenant detector overrides
 * already merged over the defaults. Load it with {@link ProcessorConfigLoader}.
 */
public record ProcessorConfig(DedupeConfig dedupe, WindowsConfig windows, RetryStormConfig retryStorm,
    AnomalyConfig anomaly, UnpricedConfig unpriced, Map<String, TenantDetectors> tenants) {

  /** A tenant's effective detector settings. */
  public record TenantDetectors(RetryStormConfig retryStorm, AnomalyConfig anomaly) {}

  public ProcessorConfig {
    tenants = Map.copyOf(tenants);
  }

  public static ProcessorConfig defaults() {
    return new ProcessorConfig(DedupeConfig.defaults(), WindowsConfig.defaults(), RetryStormConfig.defaults(),
        AnomalyConfig.defaults(), UnpricedConfig.defaults(), Map.of());
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
