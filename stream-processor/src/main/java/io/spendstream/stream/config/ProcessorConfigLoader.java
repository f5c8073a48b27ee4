package io.spendstream.stream.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the processor config (YAML, see {@code stream-processor.example.yaml}). Everything is optional
 * and falls back to the documented default; unknown keys and bad values are errors, all reported at once.
 * Durations are ISO-8601 ({@code PT10M}) or short ({@code 500ms}, {@code 60s}, {@code 10m}, {@code 24h},
 * {@code 7d}); money is USD as a decimal string or number, kept exact.
 */
public final class ProcessorConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
  private static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

  private ProcessorConfigLoader() {}

  public static ProcessorConfig load(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read: " + e.getMessage()));
    }
  }

  public static ProcessorConfig loadOrDefault(Path fileOrNull) {
    return fileOrNull == null ? ProcessorConfig.defaults() : load(fileOrNull);
  }

  public static ProcessorConfig parse(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (IOException e) {
      throw new ConfigException(List.of(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse("")));
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return ProcessorConfig.defaults();
    }
    List<String> problems = new ArrayList<>();
    if (!root.isObject()) {
      throw new ConfigException(List.of(source + ": the top level must be a mapping"));
    }
    unknownKeys(root, "", Set.of("dedupe", "windows", "retry_storm", "anomaly", "unpriced_model", "tenants"), problems);
    Section s = new Section(problems);
    DedupeConfig dedupe = s.build(() -> {
      JsonNode n = s.object(root, "dedupe", Set.of("horizon"));
      return new DedupeConfig(s.duration(n, "dedupe.horizon", DedupeConfig.defaults().horizon()));
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
            problems.add(prefix + ": must be a mapping with retry_storm and/or anomaly");
            continue;
          }
          unknownKeys(e.getValue(), prefix + ".", Set.of("retry_storm", "anomaly"), problems);
          RetryStormConfig base = storm == null ? RetryStormConfig.defaults() : storm;
          AnomalyConfig baseA = anomaly == null ? AnomalyConfig.defaults() : anomaly;
          RetryStormConfig ts = s.build(() -> retryStorm(s, s.object(e.getValue(), "retry_storm", STORM_KEYS, prefix),
              prefix + ".retry_storm", base));
          AnomalyConfig ta = s.build(() -> anomaly(s, s.object(e.getValue(), "anomaly", TENANT_ANOMALY_KEYS, prefix),
              prefix + ".anomaly", baseA));
          if (ts != null && ta != null) {
            tenants.put(e.getKey(), new ProcessorConfig.TenantDetectors(ts, ta));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems.stream().map(p -> source + ": " + p).toList());
    }
    return new ProcessorConfig(dedupe, windows, storm, anomaly, unpriced, tenants);
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

  private static RetryStormConfig retryStorm(Section s, JsonNode n, String prefix, RetryStormConfig d) {
    return new RetryStormConfig(s.integer(n, prefix + ".threshold_calls", d.thresholdCalls()),
        s.duration(n, prefix + ".window", d.window()), s.duration(n, prefix + ".cooldown", d.cooldown()));
  }

  private static AnomalyConfig anomaly(Section s, JsonNode n, String prefix, AnomalyConfig d) {
    return new AnomalyConfig(s.duration(n, prefix + ".bucket", d.bucket()), s.duration(n, prefix + ".grace", d.grace()),
        s.integer(n, prefix + ".history_buckets", d.historyBuckets()),
        s.integer(n, prefix + ".warmup_buckets", d.warmupBuckets()),
        s.decimal(n, prefix + ".z_threshold", d.zThreshold()),
        s.usdNanos(n, prefix + ".min_bucket_cost_usd", d.minBucketCostNanos()),
        s.usdNanos(n, prefix + ".stddev_floor_usd", d.stddevFloorNanos()),
        s.decimal(n, prefix + ".stddev_floor_ratio", d.stddevFloorRatio()),
        s.duration(n, prefix + ".cooldown", d.cooldown()));
  }

  private static void unknownKeys(JsonNode n, String prefix, Set<String> allowed, List<String> problems) {
    n.fieldNames().forEachRemaining(k -> {
      if (!allowed.contains(k)) {
        problems.add(prefix + k + ": unknown setting (known: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    });
  }

  /** Value readers that record problems instead of throwing, so that one pass finds them all. */
  private record Section(List<String> problems) {
    <T> T build(java.util.function.Supplier<T> make) {
      try {
        return make.get();
      } catch (ConfigException e) {
        problems.addAll(e.problems());
        return null;
      }
    }

    JsonNode object(JsonNode parent, String key, Set<String> allowed) {
      return object(parent, key, allowed, "");
    }

    JsonNode object(JsonNode parent, String key, Set<String> allowed, String prefix) {
      JsonNode n = parent.path(key);
      String name = prefix.isEmpty() ? key : prefix + "." + key;
      if (n.isMissingNode() || n.isNull()) {
        return YAML.createObjectNode();
      }
      if (!n.isObject()) {
        problems.add(name + ": must be a mapping");
        return YAML.createObjectNode();
      }
      unknownKeys(n, name + ".", allowed, problems);
      return n;
    }

    Duration duration(JsonNode n, String path, Duration dflt) {
      JsonNode v = n.get(last(path));
      return v == null || v.isNull() ? dflt : durationValue(v, path);
    }

    Duration durationValue(JsonNode v, String path) {
      String text = v.asText().trim();
      Matcher m = SHORT_DURATION.matcher(text);
      if (m.matches()) {
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
      }
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        problems.add(path + ": '" + text + "' is not a duration (use e.g. 60s, 10m, 24h or PT10M)");
        return Duration.ofSeconds(1);
      }
    }

    int integer(JsonNode n, String path, int dflt) {
      JsonNode v = n.get(last(path));
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.canConvertToInt() || !v.isIntegralNumber()) {
        problems.add(path + ": must be a whole number");
        return dflt;
      }
      return v.intValue();
    }

    BigDecimal decimal(JsonNode n, String path, BigDecimal dflt) {
      return number(n, path, dflt, Function.identity());
    }

    long usdNanos(JsonNode n, String path, long dflt) {
      BigDecimal usd = number(n, path, null, Function.identity());
      if (usd == null) {
        return dflt;
      }
      BigDecimal nanos = usd.multiply(NANOS_PER_USD);
      if (nanos.stripTrailingZeros().scale() > 0) {
        problems.add(path + ": more precise than a nano-USD");
        return dflt;
      }
      return nanos.longValue();
    }

    private <T> T number(JsonNode n, String path, T dflt, Function<BigDecimal, T> map) {
      JsonNode v = n.get(last(path));
      if (v == null || v.isNull()) {
        return dflt;
      }
      try {
        // the text form keeps 0.1 exact (a YAML float would already be a binary double)
        return map.apply(new BigDecimal(v.asText().trim()));
      } catch (NumberFormatException e) {
        problems.add(path + ": '" + v.asText() + "' is not a number");
        return dflt;
      }
    }

    private static String last(String path) {
      return path.substring(path.lastIndexOf('.') + 1);
    }
  }
}
