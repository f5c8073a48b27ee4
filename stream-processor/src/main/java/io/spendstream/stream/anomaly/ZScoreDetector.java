package io.spendstream.stream.anomaly;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.AlertIds;
import io.spendstream.pricing.Money;
import io.spendstream.stream.config.AnomalyConfig;
import io.spendstream.stream.state.avro.CostHistory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure z-score logic for one tenant x route, called once per closed bucket in bucket order. Buckets
 * without calls between two closed buckets enter the history as 0. Costs are exact integers; mean,
 * standard deviation and z are statistics and computed in double.
 */
public final class ZScoreDetector {
  private ZScoreDetector() {}

  public record Result(CostHistory history, Alert alert) {}

  public static Result onBucket(CostHistory previous, String tenant, String route, long bucketStart, long costNanos,
      long calls, AnomalyConfig config) {
    long bucketMs = config.bucket().toMillis();
    List<Long> costs = previous == null ? new ArrayList<>() : new ArrayList<>(previous.getCosts());
    Long lastAlertAt = previous == null ? null : previous.getLastAlertAt();
    if (previous != null) {
      if (bucketStart <= previous.getLastBucketStart()) {
        return new Result(previous, null); // already seen (cannot happen with ordered closes; never count twice)
      }
      long empty = Math.min((bucketStart - previous.getLastBucketStart()) / bucketMs - 1, config.historyBuckets());
      for (long i = 0; i < empty; i++) {
        costs.add(0L);
      }
    }
    while (costs.size() > config.historyBuckets()) {
      costs.removeFirst();
    }
    Alert alert = null;
    int n = costs.size();
    if (n >= config.warmupBuckets()) {
      double mean = 0;
      for (long c : costs) {
        mean += c;
      }
      mean /= n;
      double var = 0;
      for (long c : costs) {
        var += (c - mean) * (c - mean);
      }
      double stddev = Math.sqrt(var / n);
      double floor = Math.max(config.stddevFloorNanos(), config.stddevFloorRatio().doubleValue() * mean);
      double used = Math.max(stddev, floor);
      double z = (costNanos - mean) / used;
      boolean cooling = lastAlertAt != null && bucketStart - lastAlertAt < config.cooldown().toMillis();
      if (z > config.zThreshold().doubleValue() && costNanos >= config.minBucketCostNanos() && !cooling) {
        alert = alert(tenant, route, bucketStart, bucketMs, costNanos, calls, n, mean, stddev, used, z, config);
        lastAlertAt = bucketStart;
      }
    }
    costs.add(costNanos);
    while (costs.size() > config.historyBuckets()) {
      costs.removeFirst();
    }
    return new Result(CostHistory.newBuilder().setLastBucketStart(bucketStart).setCosts(costs).setLastAlertAt(lastAlertAt)
        .build(), alert);
  }

  private static Alert alert(String tenant, String route, long start, long bucketMs, long cost, long calls, int n,
      double mean, double stddev, double used, double z, AnomalyConfig config) {
    long baseline = Math.round(mean);
    long threshold = Math.round(mean + config.zThreshold().doubleValue() * used);
    double zRounded = BigDecimal.valueOf(z).setScale(2, java.math.RoundingMode.HALF_EVEN).doubleValue();
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("bucket_ms", String.valueOf(bucketMs));
    evidence.put("calls_in_bucket", String.valueOf(calls));
    evidence.put("history_buckets", String.valueOf(n));
    evidence.put("mean_nanos", String.valueOf(baseline));
    evidence.put("stddev_nanos", String.valueOf(Math.round(stddev)));
    evidence.put("stddev_used_nanos", String.valueOf(Math.round(used)));
    evidence.put("stddev_floored", String.valueOf(used > stddev));
    evidence.put("z_threshold", config.zThreshold().toPlainString());
    String ratio = baseline == 0 ? "from nothing" : String.format("%.1fx the mean", cost / (double) baseline);
    String message = String.format("Cost anomaly on %s: %s in 5 min vs mean %s (%s, z = %.1f over %d buckets)",
        route, Money.usd(cost), Money.usd(baseline), ratio, z, n).replace("5 min", minutes(bucketMs));
    return Alert.newBuilder()
        .setAlertId(AlertIds.of("COST_ANOMALY", tenant, route, String.valueOf(start)))
        .setType(AlertType.COST_ANOMALY)
        .setSeverity(z > 2 * config.zThreshold().doubleValue() ? Severity.CRITICAL : Severity.WARNING)
        .setStatus(AlertStatus.FIRING)
        .setTenantId(tenant)
        .setDimension("route")
        .setDimensionValue(route)
        .setRoute(route)
        .setModel(null)
        .setDetectedAt(Instant.ofEpochMilli(start + bucketMs))
        .setWindowStart(Instant.ofEpochMilli(start))
        .setWindowEnd(Instant.ofEpochMilli(start + bucketMs))
        .setObservedValue(cost)
        .setThreshold(threshold)
        .setBaseline(baseline)
        .setObservedUnit("nano_usd")
        .setZScore(zRounded)
        .setCostNanos(cost)
        .setMessage(message)
        .setEvidence(evidence)
        .build();
  }

  private static String minutes(long ms) {
    return ms % 60_000 == 0 ? (ms / 60_000) + " min" : (ms / 1000) + " s";
  }
}
