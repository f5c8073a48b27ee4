package io.spendstream.pricing;

import io.spendstream.schemas.avro.PriceStatus;
import java.math.BigDecimal;

/**
 * The exact cost of one call. {@code exact*} are the unrounded nano-USD amounts per component (after the
 * tier multiplier); {@code totalNanos} is their sum rounded half-even once; the four {@code *Nanos}
 * components are allocated from the total by largest remainder, so they always add up to it.
 */
public record CostBreakdown(
    PriceStatus status,
    PriceEntry entry,
    BigDecimal exactInput,
    BigDecimal exactOutput,
    BigDecimal exactCacheRead,
    BigDecimal exactCacheWrite5m,
    BigDecimal exactCacheWrite1h,
    long inputNanos,
    long outputNanos,
    long cacheReadNanos,
    long cacheWriteNanos,
    long totalNanos) {

  public static final BigDecimal NANOS_PER_USD = BigDecimal.valueOf(1_000_000_000L);

  /** Cost 0 for a call that could not be priced; the status says why. */
  public static CostBreakdown unpriced(PriceStatus status) {
    return new CostBreakdown(status, null, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
        BigDecimal.ZERO, 0, 0, 0, 0, 0);
  }

  public BigDecimal exactTotal() {
    return exactInput.add(exactOutput).add(exactCacheRead).add(exactCacheWrite5m).add(exactCacheWrite1h);
  }

  /** Nano-USD as exact USD, e.g. 1234567890 -> 1.23456789. */
  public static BigDecimal usd(long nanos) {
    return BigDecimal.valueOf(nanos).divide(NANOS_PER_USD).stripTrailingZeros();
  }
}
