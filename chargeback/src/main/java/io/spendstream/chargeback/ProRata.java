package io.spendstream.chargeback;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits an amount of nano-USD over weights so that the shares sum to it exactly (largest-remainder rounding):
 * every share is first floor(amount × weight / total weight); the nanos still missing — fewer than the number of
 * shares — go one each to the largest remainders, ties to the smaller key (alphabetical tenant id). Exact integer
 * arithmetic throughout, so the same inputs always give the same split.
 */
public final class ProRata {
  private ProRata() {}

  public static Map<String, Long> split(long amount, Map<String, Long> weights) {
    TreeMap<String, Long> w = new TreeMap<>(weights);
    long total = w.values().stream().mapToLong(Long::longValue).sum();
    if (w.isEmpty() || total <= 0) {
      throw new IllegalArgumentException("weights must be positive in sum, got " + weights);
    }
    Map<String, Long> out = new LinkedHashMap<>();
    List<Map.Entry<String, BigInteger>> remainders = new ArrayList<>();
    BigInteger a = BigInteger.valueOf(amount);
    BigInteger t = BigInteger.valueOf(total);
    long given = 0;
    for (Map.Entry<String, Long> e : w.entrySet()) {
      BigInteger[] qr = a.multiply(BigInteger.valueOf(e.getValue())).divideAndRemainder(t);
      long share = qr[0].longValueExact();
      // with a negative amount (a credit) floor division keeps the remainder non-negative
      if (qr[1].signum() < 0) {
        share -= 1;
        qr[1] = qr[1].add(t);
      }
      out.put(e.getKey(), share);
      given += share;
      remainders.add(Map.entry(e.getKey(), qr[1]));
    }
    remainders.sort(Comparator.<Map.Entry<String, BigInteger>, BigInteger>comparing(Map.Entry::getValue).reversed()
        .thenComparing(Map.Entry::getKey));
    for (int i = 0; given < amount; i++, given++) {
      out.merge(remainders.get(i).getKey(), 1L, Long::sum);
    }
    return out;
  }
}
