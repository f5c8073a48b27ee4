package io.spendstream.stream.config;

import io.spendstream.config.Problems;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Cost anomalies per tenant x route: event-time buckets of {@code bucket}; when a bucket closes (its end
 * plus {@code grace} has passed in stream time), z = (cost - mean) / max(stddev, floor) over the
 * previous {@code historyBuckets} buckets, empty buckets counting as 0, where
 * floor = max({@code stddevFloorNanos}, {@code stddevFloorRatio} x mean). The floor keeps a perfectly flat
 * history from dividing by zero and from calling a small wobble on a flat line an anomaly. An alert needs
 * z > {@code zThreshold}, at least {@code warmupBuckets} buckets of history and a bucket cost of at
 * least {@code minBucketCostNanos}; then the tenant x route is silent for {@code cooldown}.
 */
public record AnomalyConfig(Duration bucket, Duration grace, int historyBuckets, int warmupBuckets, BigDecimal zThreshold,
    long minBucketCostNanos, long stddevFloorNanos, BigDecimal stddevFloorRatio, Duration cooldown) {

  public static AnomalyConfig defaults() {
    return new AnomalyConfig(Duration.ofMinutes(5), Duration.ofSeconds(30), 24, 12, new BigDecimal("3.5"),
        1_000_000_000L, 10_000_000L, new BigDecimal("0.10"), Duration.ofMinutes(30));
  }

  public AnomalyConfig {
    Problems p = new Problems("anomaly");
    p.positive("bucket", bucket);
    p.notNegative("grace", grace);
    p.check(historyBuckets >= 2 && historyBuckets <= 10_000, "history_buckets", "must be 2..10000");
    p.check(warmupBuckets >= 2 && warmupBuckets <= historyBuckets, "warmup_buckets", "must be 2..history_buckets");
    p.check(zThreshold != null && zThreshold.signum() > 0, "z_threshold", "must be > 0");
    p.check(minBucketCostNanos >= 0, "min_bucket_cost_usd", "must be >= 0");
    p.check(stddevFloorNanos > 0, "stddev_floor_usd", "must be > 0 (it keeps a flat history from dividing by zero)");
    p.check(stddevFloorRatio != null && stddevFloorRatio.signum() >= 0, "stddev_floor_ratio", "must be >= 0");
    p.notNegative("cooldown", cooldown);
    p.throwIfAny();
  }
}
