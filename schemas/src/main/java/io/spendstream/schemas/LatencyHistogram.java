package io.spendstream.schemas;

import java.util.List;

/**
 * Fixed log-scale latency buckets for {@code CostWindow.latency_histogram}. Bucket 0 holds 0 ms; bucket
 * i >= 1 holds latencies in (bound(i-1), bound(i)] where bounds grow by 20% (rounded up to whole ms),
 * so a quantile read from the histogram is within 20% of the true value. The last bucket is open-ended
 * (over ~31 minutes). Histograms of windows merge by adding counts.
 */
public final class LatencyHistogram {
  private static final long[] UPPER_BOUNDS_MS = bounds();
  public static final int BUCKETS = UPPER_BOUNDS_MS.length + 1;

  private LatencyHistogram() {}

  private static long[] bounds() {
    java.util.ArrayList<Long> b = new java.util.ArrayList<>();
    long v = 0;
    b.add(0L);
    while (v < 30L * 60 * 1000) {
      v = Math.max(v + 1, (long) Math.ceil(v * 1.2));
      b.add(v);
    }
    return b.stream().mapToLong(Long::longValue).toArray();
  }

  /** The bucket index a latency falls into. */
  public static int bucketOf(long latencyMs) {
    if (latencyMs <= 0) {
      return 0;
    }
    int lo = 0;
    int hi = UPPER_BOUNDS_MS.length - 1;
    if (latencyMs > UPPER_BOUNDS_MS[hi]) {
      return UPPER_BOUNDS_MS.length;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (UPPER_BOUNDS_MS[mid] >= latencyMs) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Inclusive upper bound of bucket i in ms; Long.MAX_VALUE for the open-ended last bucket. */
  public static long upperBoundMs(int bucket) {
    return bucket < UPPER_BOUNDS_MS.length ? UPPER_BOUNDS_MS[bucket] : Long.MAX_VALUE;
  }

  /**
   * The q-quantile (0 < q <= 1) as the upper bound of the bucket holding it; -1 for an empty histogram.
   * For the open-ended bucket it answers the last finite bound.
   */
  public static long quantileMs(List<Long> counts, double q) {
    long total = counts.stream().mapToLong(Long::longValue).sum();
    if (total == 0) {
      return -1;
    }
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < counts.size(); i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return Math.min(upperBoundMs(i), UPPER_BOUNDS_MS[UPPER_BOUNDS_MS.length - 1]);
      }
    }
    return UPPER_BOUNDS_MS[UPPER_BOUNDS_MS.length - 1];
  }
}
