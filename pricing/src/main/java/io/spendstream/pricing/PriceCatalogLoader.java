package io.spendstream.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.spendstream.schemas.avro.ServiceTier;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a price catalog (YAML or JSON; see default-prices.yaml for the format) and validates all of it,
 * reporting every problem at once.
 */
public final class PriceCatalogLoader {
  public static final String DEFAULT_RESOURCE = "/io/spendstream/pricing/default-prices.yaml";
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
  private static final Set<String> TOP_KEYS = Set.of("catalog_version", "tier_multipliers", "models");
  private static final Set<String> MODEL_KEYS = Set.of("model", "providers", "aliases", "prices");
  private static final Set<String> PRICE_KEYS = Set.of("effective_from", "version", "input", "output", "cache_read",
      "cache_write_5m", "cache_write_1h", "tier_multipliers");

  private PriceCatalogLoader() {}

  /** The catalog shipped with spendstream. */
  public static PriceCatalog defaults() {
    try (InputStream in = PriceCatalogLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(DEFAULT_RESOURCE + " is missing from the classpath");
      }
      return parse(YAML.readTree(in), "default catalog");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static PriceCatalog load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new PriceCatalogException(file.toString(), List.of("file not found or not a regular file"));
    }
    try (InputStream in = Files.newInputStream(file)) {
      return parse(YAML.readTree(in), file.toString());
    } catch (IOException e) {
      throw new PriceCatalogException(file.toString(), List.of("not valid YAML/JSON: " + e.getMessage()));
    }
  }

  /** The catalog from {@code file} when given, else the defaults. */
  public static PriceCatalog loadOrDefault(Path file) {
    return file == null ? defaults() : load(file);
  }

  static PriceCatalog parse(JsonNode root, String source) {
    List<String> problems = new ArrayList<>();
    if (root == null || !root.isObject()) {
      throw new PriceCatalogException(source, List.of("the top level must be a mapping with 'models'"));
    }
    unknownKeys(root, TOP_KEYS, "top level", problems);
    String version = root.path("catalog_version").asText("unversioned");
    Map<ServiceTier, BigDecimal> defaultTiers = tiers(root.get("tier_multipliers"), "tier_multipliers", problems);

    Map<String, Map<String, String>> keys = new HashMap<>();
    Map<String, List<PriceEntry>> entries = new HashMap<>();
    JsonNode models = root.get("models");
    if (models == null || !models.isArray() || models.isEmpty()) {
      problems.add("'models' must be a non-empty list");
    } else {
      for (int i = 0; i < models.size(); i++) {
        model(models.get(i), "models[" + i + "]", defaultTiers, keys, entries, problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new PriceCatalogException(source, problems);
    }
    return new PriceCatalog(version, keys, entries);
  }

  private static void model(JsonNode m, String where, Map<ServiceTier, BigDecimal> defaultTiers,
      Map<String, Map<String, String>> keys, Map<String, List<PriceEntry>> entries, List<String> problems) {
    if (!m.isObject()) {
      problems.add(where + ": must be a mapping");
      return;
    }
    unknownKeys(m, MODEL_KEYS, where, problems);
    String family = m.path("model").asText("").trim().toLowerCase(Locale.ROOT);
    if (family.isEmpty()) {
      problems.add(where + ".model: required");
      return;
    }
    where = where + " (" + family + ")";
    if (entries.containsKey(family)) {
      problems.add(where + ": model listed twice; put all its prices under one entry");
      return;
    }
    List<String> providers = strings(m.get("providers"), where + ".providers", problems);
    if (providers.isEmpty()) {
      problems.add(where + ".providers: at least one provider, e.g. [anthropic]");
    }
    List<String> modelKeys = new ArrayList<>();
    modelKeys.add(family);
    for (String alias : strings(m.get("aliases"), where + ".aliases", problems)) {
      modelKeys.add(ModelIds.normalize(alias));
    }
    for (String provider : providers) {
      Map<String, String> byKey = keys.computeIfAbsent(provider.toLowerCase(Locale.ROOT), p -> new HashMap<>());
      for (String key : modelKeys) {
        String previous = byKey.putIfAbsent(key, family);
        if (previous != null && !previous.equals(family)) {
          problems.add(where + ": id '" + key + "' for provider " + provider + " already belongs to " + previous);
        }
      }
    }
    List<PriceEntry> list = new ArrayList<>();
    JsonNode prices = m.get("prices");
    if (prices == null || !prices.isArray() || prices.isEmpty()) {
      problems.add(where + ".prices: a non-empty list of dated prices");
    } else {
      Set<Instant> dates = new HashSet<>();
      for (int j = 0; j < prices.size(); j++) {
        PriceEntry e = price(prices.get(j), family, where + ".prices[" + j + "]", defaultTiers, problems);
        if (e != null && !dates.add(e.effectiveFrom())) {
          problems.add(where + ".prices[" + j + "]: two prices with the same effective_from " + e.effectiveFrom());
        } else if (e != null) {
          list.add(e);
        }
      }
    }
    entries.put(family, list);
  }

  private static PriceEntry price(JsonNode p, String family, String where, Map<ServiceTier, BigDecimal> defaultTiers,
      List<String> problems) {
    if (!p.isObject()) {
      problems.add(where + ": must be a mapping");
      return null;
    }
    unknownKeys(p, PRICE_KEYS, where, problems);
    int before = problems.size();
    Instant from = null;
    String fromText = p.path("effective_from").asText("");
    try {
      from = OffsetDateTime.parse(fromText).toInstant();
    } catch (DateTimeParseException e) {
      problems.add(where + ".effective_from: must be an RFC 3339 timestamp such as 2026-01-01T00:00:00Z, got '"
          + fromText + "'");
    }
    BigDecimal input = decimal(p.get("input"), where + ".input", problems);
    BigDecimal output = decimal(p.get("output"), where + ".output", problems);
    BigDecimal cacheRead = decimal(p.get("cache_read"), where + ".cache_read", problems);
    BigDecimal write5m = decimal(p.get("cache_write_5m"), where + ".cache_write_5m", problems);
    BigDecimal write1h = decimal(p.get("cache_write_1h"), where + ".cache_write_1h", problems);
    Map<ServiceTier, BigDecimal> tiers = new EnumMap<>(ServiceTier.class);
    tiers.putAll(defaultTiers);
    tiers.putAll(tiers(p.get("tier_multipliers"), where + ".tier_multipliers", problems));
    if (problems.size() > before) {
      return null;
    }
    String version = p.hasNonNull("version") ? p.get("version").asText() : family + "@" + from;
    return new PriceEntry(family, version, from, input, output, cacheRead, write5m, write1h, tiers);
  }

  private static Map<ServiceTier, BigDecimal> tiers(JsonNode n, String where, List<String> problems) {
    Map<ServiceTier, BigDecimal> out = new EnumMap<>(ServiceTier.class);
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isObject()) {
      problems.add(where + ": must be a mapping such as {batch: \"0.5\"}");
      return out;
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      ServiceTier tier;
      try {
        tier = ServiceTier.valueOf(e.getKey().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException unknown) {
        problems.add(where + "." + e.getKey() + ": unknown tier; use standard, batch or priority");
        continue;
      }
      BigDecimal m = decimal(e.getValue(), where + "." + e.getKey(), problems);
      if (m != null) {
        out.put(tier, m);
      }
    }
    return out;
  }

  private static BigDecimal decimal(JsonNode n, String where, List<String> problems) {
    if (n == null || n.isNull()) {
      problems.add(where + ": required (USD per million tokens, e.g. \"3.00\")");
      return null;
    }
    BigDecimal v;
    try {
      v = n.isNumber() ? n.decimalValue() : new BigDecimal(n.asText().trim());
    } catch (NumberFormatException e) {
      problems.add(where + ": not a decimal number: '" + n.asText() + "'");
      return null;
    }
    if (v.signum() < 0) {
      problems.add(where + ": must not be negative, got " + v.toPlainString());
      return null;
    }
    return v.stripTrailingZeros();
  }

  private static List<String> strings(JsonNode n, String where, List<String> problems) {
    List<String> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      problems.add(where + ": must be a list");
      return out;
    }
    for (JsonNode e : n) {
      if (!e.isTextual() || e.asText().isBlank()) {
        problems.add(where + ": entries must be non-empty strings");
      } else {
        out.add(e.asText().trim());
      }
    }
    return out;
  }

  private static void unknownKeys(JsonNode n, Set<String> allowed, String where, List<String> problems) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!allowed.contains(k)) {
        problems.add(where + ": unknown key '" + k + "' (allowed: " + String.join(", ", allowed.stream().sorted().toList())
            + ")");
      }
    }
  }
}
