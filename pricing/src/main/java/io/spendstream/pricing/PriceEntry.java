package io.spendstream.pricing;

import io.spendstream.schemas.avro.ServiceTier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * One price of one model family, in force from {@code effectiveFrom} (inclusive) until the next entry
 * of the same family. Prices are USD per million tokens, exact decimals.
 */
public record PriceEntry(
    String family,
    String version,
    Instant effectiveFrom,
    BigDecimal input,
    BigDecimal output,
    BigDecimal cacheRead,
    BigDecimal cacheWrite5m,
    BigDecimal cacheWrite1h,
    Map<ServiceTier, BigDecimal> tierMultipliers) {

  public PriceEntry {
    tierMultipliers = Map.copyOf(tierMultipliers);
  }

  /** Multiplier of every component for the tier; 1 when the catalog does not name the tier. */
  public BigDecimal multiplier(ServiceTier tier) {
    return tierMultipliers.getOrDefault(tier, BigDecimal.ONE);
  }
}
