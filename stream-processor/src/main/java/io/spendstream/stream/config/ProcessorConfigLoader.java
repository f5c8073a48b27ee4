package io.spendstream.stream.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.spendstream.config.ConfigReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the processor config (YAML, see {@code stream-processor.example.yaml}). Everything is optional
 * and falls back to the documented default; unknown keys and bad values are errors, all reported at once.
 * Value syntax: see {@link ConfigReader}.
 */
public final class ProcessorConfigLoader {
  private ProcessorConfigLoader() {}

  public static ProcessorConfig load(Path file) {
    return parse(ConfigReader.readFile(file), file.toString());
  }

  public static ProcessorConfig loadOrDefault(Path fileOrNull) {
    return fileOrNull == null ? ProcessorConfig.defaults() : load(fileOrNull);
  }

  public static ProcessorConfig parse(String yaml, String source) {
    return parse(ConfigReader.readTree(yaml, source), source);
  }

  private static ProcessorConfig parse(JsonNode root, String source) {
    ConfigReader s = new ConfigReader();
    List<String> problems = s.problems();
    s.unknownKeys(root, "", Set.of("dedupe", "windows", "retry_storm", "anomaly", "unpriced_model", "alerts",
        "tenants"));
    DedupeConfig dedupe = s.build(() -> {
      JsonNode n = s.object(root, "dedupe", Set.of("horizon", "max_age"));
      return new DedupeConfig(s.duration(n, "dedupe.horizon", DedupeConfig.defaults().horizon()),
          s.duration(n, "dedupe.max_age", DedupeConfig.defaults().maxAge()));
    });
    WindowsConfig windows = s.build(() -> {
      JsonNode n = s.object(root, "windows", Set.of("sizes", "grace"));
      WindowsConfig d = WindowsConfig.defaults();
      List<Duration> sizes = d.sizes();
      if (n.has("sizes")) {
        sizes = new ArrayList<>();
        if (!n.get("sizes").isArray()) {
          problems.add("windows.sizes: must be a list of durations, e.g. [1m, 1h]");
        } else {
          for (JsonNode e : n.get("sizes")) {
            sizes.add(s.durationValue(e, "windows.sizes"));
          }
        }
      }
      return new WindowsConfig(sizes, s.duration(n, "windows.grace", d.grace()));
    });
    RetryStormConfig storm = s.build(() -> retryStorm(s, s.object(root, "retry_storm", STORM_KEYS), "retry_storm",
        RetryStormConfig.defaults()));
    AnomalyConfig anomaly = s.build(() -> anomaly(s, s.object(root, "anomaly", ANOMALY_KEYS), "anomaly",
        AnomalyConfig.defaults()));
    UnpricedConfig unpriced = s.build(() -> {
      JsonNode n = s.object(root, "unpriced_model", Set.of("alert_every"));
      return new UnpricedConfig(s.duration(n, "unpriced_model.alert_every", UnpricedConfig.defaults().alertEvery()));
    });
    CatalogueConfig alerts = s.build(() -> {
      Set<String> keys = new java.util.HashSet<>(CatalogueConfigReader.DETECTOR_KEYS);
      keys.add("baseline_days");
      JsonNode n = s.object(root, "alerts", keys);
      int days = s.integer(n, "alerts.baseline_days", CatalogueConfig.defaults().baselineDays());
      return CatalogueConfigReader.read(s, n, "alerts", CatalogueConfig.defaults(), days);
    });
    Map<String, ProcessorConfig.TenantDetectors> tenants = new LinkedHashMap<>();
    JsonNode t = root.path("tenants");
    if (!t.isMissingNode() && !t.isNull()) {
      if (!t.isObject()) {
        problems.add("tenants: must be a mapping of tenant id to overrides");
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = t.properties().iterator(); it.hasNext();) {
          Map.Entry<String, JsonNode> e = it.next();
          String prefix = "tenants." + e.getKey();
          if (!e.getValue().isObject()) {
            problems.add(prefix + ": must be a mapping with retry_storm, anomaly and alert catalogue overrides");
            continue;
          }
          Set<String> tenantKeys = new java.util.HashSet<>(CatalogueConfigReader.DETECTOR_KEYS);
          tenantKeys.addAll(Set.of("retry_storm", "anomaly"));
          s.unknownKeys(e.getValue(), prefix + ".", tenantKeys);
          CatalogueConfig baseC = alerts == null ? CatalogueConfig.defaults() : alerts;
          CatalogueConfig tc = CatalogueConfigReader.read(s, e.getValue(), prefix, baseC, baseC.baselineDays());
          RetryStormConfig base = storm == null ? RetryStormConfig.defaults() : storm;
          AnomalyConfig baseA = anomaly == null ? AnomalyConfig.defaults() : anomaly;
          RetryStormConfig ts = s.build(() -> retryStorm(s, s.object(e.getValue(), "retry_storm", STORM_KEYS, prefix),
              prefix + ".retry_storm", base));
          AnomalyConfig ta = s.build(() -> anomaly(s, s.object(e.getValue(), "anomaly", TENANT_ANOMALY_KEYS, prefix),
              prefix + ".anomaly", baseA));
          if (ts != null && ta != null && tc != null) {
            tenants.put(e.getKey(), new ProcessorConfig.TenantDetectors(ts, ta, tc));
          }
        }
      }
    }
    s.throwIfAny(source);
    return new ProcessorConfig(dedupe, windows, storm, anomaly, unpriced, alerts, tenants);
  }

  private static final Set<String> STORM_KEYS = Set.of("threshold_calls", "window", "cooldown");
  private static final Set<String> TENANT_ANOMALY_KEYS = Set.of("warmup_buckets", "z_threshold", "min_bucket_cost_usd",
      "stddev_floor_usd", "stddev_floor_ratio", "cooldown");
  private static final Set<String> ANOMALY_KEYS;

  static {
    Set<String> all = new java.util.HashSet<>(TENANT_ANOMALY_KEYS);
    all.addAll(Set.of("bucket", "grace", "history_buckets"));
    ANOMALY_KEYS = Set.copyOf(all);
  }

  private static RetryStormConfig retryStorm(ConfigReader s, JsonNode n, String prefix, RetryStormConfig d) {
    return new RetryStormConfig(s.integer(n, prefix + ".threshold_calls", d.thresholdCalls()),
        s.duration(n, prefix + ".window", d.window()), s.duration(n, prefix + ".cooldown", d.cooldown()));
  }

  private static AnomalyConfig anomaly(ConfigReader s, JsonNode n, String prefix, AnomalyConfig d) {
    return new AnomalyConfig(s.duration(n, prefix + ".bucket", d.bucket()), s.duration(n, prefix + ".grace", d.grace()),
        s.integer(n, prefix + ".history_buckets", d.historyBuckets()),
        s.integer(n, prefix + ".warmup_buckets", d.warmupBuckets()),
        s.decimal(n, prefix + ".z_threshold", d.zThreshold()),
        s.usdNanos(n, prefix + ".min_bucket_cost_usd", d.minBucketCostNanos()),
        s.usdNanos(n, prefix + ".stddev_floor_usd", d.stddevFloorNanos()),
        s.decimal(n, prefix + ".stddev_floor_ratio", d.stddevFloorRatio()),
        s.duration(n, prefix + ".cooldown", d.cooldown()));
  }
}
