package io.spendstream.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Display of nano-USD amounts in messages; the exact integer is always in the record as well. */
public final class Money {
  private Money() {}

  /**
   * A money sum read from ClickHouse as Int128 (sums of Int64 there wrap silently), as the long it must fit:
   * past $9.2 billion it says so instead of wrapping.
   */
  public static long exactNanos(java.math.BigInteger sum) {
    if (sum.bitLength() >= 64) {
      throw new ArithmeticException("money sum of " + sum + " nano-USD does not fit a 64-bit integer");
    }
    return sum.longValue();
  }

  public static String usd(long nanos) {
    BigDecimal usd = BigDecimal.valueOf(nanos, 9);
    return "$" + (usd.abs().compareTo(BigDecimal.ONE) >= 0 ? usd.setScale(2, RoundingMode.HALF_EVEN)
        : usd.setScale(6, RoundingMode.HALF_EVEN)).toPlainString();
  }

  /** The exact amount in USD with all nine decimals, e.g. {@code 0.022500000}: for machines. */
  public static String exactUsd(long nanos) {
    return BigDecimal.valueOf(nanos, 9).toPlainString();
  }
}
