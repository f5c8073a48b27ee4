package io.spendstream.pricing;

import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.PricedCall;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Prices calls exactly. USD per million tokens times tokens is USD * 1e-6, so one token at $1/MTok
 * costs 1,000 nano-USD: exact nanos = tokens * price * 1000 * tier multiplier, in BigDecimal, rounded
 * half-even once per call.
 */
public final class Pricer {
  static {
    io.spendstream.schemas.AvroTrust.ensure();
  }

  private static final BigDecimal NANOS_PER_TOKEN_AT_ONE_USD_PER_MTOK = BigDecimal.valueOf(1000);
  private final PriceCatalog catalog;

  public Pricer(PriceCatalog catalog) {
    this.catalog = catalog;
  }

  public PriceCatalog catalog() {
    return catalog;
  }

  public CostBreakdown price(String provider, String model, Instant at, TokenUsage usage) {
    return switch (catalog.lookup(provider, model, at)) {
      case PriceLookup.Found f -> compute(f.entry(), usage);
      case PriceLookup.UnknownModel u -> CostBreakdown.unpriced(PriceStatus.UNPRICED_MODEL);
      case PriceLookup.NoPriceInForce n -> CostBreakdown.unpriced(PriceStatus.NO_PRICE_IN_FORCE);
    };
  }

  public PricedCall price(LlmCall call) {
    CostBreakdown c = price(call.getProvider(), call.getModel(), call.getTimestamp(), TokenUsage.of(call));
    return PricedCall.newBuilder()
        .setCall(call)
        .setCostNanos(c.totalNanos())
        .setInputCostNanos(c.inputNanos())
        .setOutputCostNanos(c.outputNanos())
        .setCacheReadCostNanos(c.cacheReadNanos())
        .setCacheWriteCostNanos(c.cacheWriteNanos())
        .setPriceStatus(c.status())
        .setPriceVersion(c.entry() == null ? null : c.entry().version())
        .setPricedModel(c.entry() == null ? null : c.entry().family())
        .build();
  }

  static CostBreakdown compute(PriceEntry e, TokenUsage u) {
    BigDecimal m = e.multiplier(u.tier()).multiply(NANOS_PER_TOKEN_AT_ONE_USD_PER_MTOK);
    BigDecimal input = part(u.input(), e.input(), m);
    BigDecimal output = part(u.output(), e.output(), m);
    BigDecimal cacheRead = part(u.cacheRead(), e.cacheRead(), m);
    BigDecimal write5m = part(u.cacheWrite5m(), e.cacheWrite5m(), m);
    BigDecimal write1h = part(u.cacheWrite1h(), e.cacheWrite1h(), m);
    BigDecimal exactTotal = input.add(output).add(cacheRead).add(write5m).add(write1h);
    long total = exactTotal.setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    long[] parts = allocate(total, new BigDecimal[] {input, output, cacheRead, write5m.add(write1h)});
    return new CostBreakdown(PriceStatus.PRICED, e, input, output, cacheRead, write5m, write1h,
        parts[0], parts[1], parts[2], parts[3], total);
  }

  private static BigDecimal part(long tokens, BigDecimal pricePerMTok, BigDecimal multiplier) {
    return BigDecimal.valueOf(tokens).multiply(pricePerMTok).multiply(multiplier);
  }

  /**
   * Splits an integer total into integer parts close to the exact ones: floor each, then give the units
   * left over to the parts with the largest fractions (earlier parts first on ties).
   */
  static long[] allocate(long total, BigDecimal[] exact) {
    long[] out = new long[exact.length];
    long assigned = 0;
    for (int i = 0; i < exact.length; i++) {
      out[i] = exact[i].setScale(0, RoundingMode.FLOOR).longValueExact();
      assigned += out[i];
    }
    long left = total - assigned;
    while (left > 0) {
      int best = -1;
      BigDecimal bestFraction = null;
      for (int i = 0; i < exact.length; i++) {
        BigDecimal fraction = exact[i].subtract(BigDecimal.valueOf(out[i]));
        if (fraction.signum() > 0 && (bestFraction == null || fraction.compareTo(bestFraction) > 0)) {
          best = i;
          bestFraction = fraction;
        }
      }
      if (best < 0) {
        break;
      }
      out[best]++;
      left--;
    }
    return out;
  }
}
