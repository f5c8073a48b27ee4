package io.spendstream.pricing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Effective-dated prices per provider x model family. Immutable; build with {@link PriceCatalogLoader}.
 */
public final class PriceCatalog {
  private final String version;
  /** provider -> model key (family or alias) -> family. */
  private final Map<String, Map<String, String>> familyByProviderAndKey;
  /** family -> entries sorted by effectiveFrom. */
  private final Map<String, List<PriceEntry>> entriesByFamily;
  private static final int MEMO_LIMIT = 10_000;
  /** provider + newline + model as called -> family ("" = unknown); the catalog is immutable, so it never goes stale. */
  private final Map<String, String> familyMemo = new ConcurrentHashMap<>();

  PriceCatalog(String version, Map<String, Map<String, String>> familyByProviderAndKey,
      Map<String, List<PriceEntry>> entriesByFamily) {
    this.version = version;
    Map<String, Map<String, String>> keys = new HashMap<>();
    familyByProviderAndKey.forEach((p, m) -> keys.put(p, Map.copyOf(m)));
    this.familyByProviderAndKey = Map.copyOf(keys);
    Map<String, List<PriceEntry>> entries = new HashMap<>();
    entriesByFamily.forEach((f, l) -> entries.put(f,
        l.stream().sorted(Comparator.comparing(PriceEntry::effectiveFrom)).toList()));
    this.entriesByFamily = Map.copyOf(entries);
  }

  public String version() {
    return version;
  }

  /** The price in force for the call's provider and model at {@code at}. */
  public PriceLookup lookup(String provider, String model, Instant at) {
    String family = familyOf(provider, model);
    return family.isEmpty() ? new PriceLookup.UnknownModel(provider, model) : inForce(family, at);
  }

  /** The model's family, or "" when the catalog does not know it; remembered, since every call asks. */
  private String familyOf(String provider, String model) {
    String memoKey = provider + '\n' + model;
    String known = familyMemo.get(memoKey);
    if (known != null) {
      return known;
    }
    String family = "";
    Map<String, String> keys = familyByProviderAndKey.get(provider.toLowerCase(Locale.ROOT));
    if (keys != null) {
      for (String candidate : ModelIds.candidates(model)) {
        String f = keys.get(candidate);
        if (f != null) {
          family = f;
          break;
        }
      }
    }
    if (familyMemo.size() < MEMO_LIMIT) { // model ids come from callers: do not let odd ones fill the heap
      familyMemo.put(memoKey, family);
    }
    return family;
  }

  private PriceLookup inForce(String family, Instant at) {
    PriceEntry found = null;
    for (PriceEntry e : entriesByFamily.get(family)) {
      if (e.effectiveFrom().isAfter(at)) {
        break;
      }
      found = e;
    }
    return found == null ? new PriceLookup.NoPriceInForce(family) : new PriceLookup.Found(found);
  }

  /** Every entry, by family then date: for listing the catalog. */
  public List<PriceEntry> entries() {
    List<PriceEntry> all = new ArrayList<>();
    entriesByFamily.keySet().stream().sorted().forEach(f -> all.addAll(entriesByFamily.get(f)));
    return all;
  }
}
