package io.spendstream.stream.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.stream.Driver;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.TestCalls;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.config.ProcessorConfigLoader;
import io.spendstream.stream.kafka.StoreKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CostAnomalyTopologyTest {
  private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
  private static final Duration BUCKET = Duration.ofMinutes(5);
  private static final long USD = 1_000_000_000L;

  private static Driver anomalies(ProcessorConfig config) {
    ProcessorMetrics m = new ProcessorMetrics();
    return new Driver(CostAnomalyTopology.build(Driver.TOPICS, Driver.SERDES, config, StoreKind.IN_MEMORY, m), m);
  }

  /** Spends {@code nanos} in bucket {@code i} on a route, spread over 10 calls. */
  private static void spend(Driver d, String tenant, String route, int bucket, long nanos) {
    Instant start = T0.plus(BUCKET.multipliedBy(bucket));
    for (int c = 0; c < 10; c++) {
      long part = nanos / 10 + (c == 0 ? nanos % 10 : 0);
      d.sendPriced(TestCalls.costing(TestCalls.call(start.plusSeconds(c * 25L)).setTenantId(tenant).setRoute(route).build(), part));
    }
  }

  /** Advances stream time so that bucket {@code i} closes (its end + 30 s grace), with a zero-cost call elsewhere. */
  private static void closeBucket(Driver d, int bucket) {
    Instant t = T0.plus(BUCKET.multipliedBy(bucket + 1)).plusSeconds(30);
    d.sendPriced(TestCalls.costing(TestCalls.call(t).setTenantId("clock").setRoute("/tick").build(), 0));
  }

  private static long noisy(Random r) {
    return 2 * USD + (long) ((r.nextDouble() - 0.5) * 0.6 * 2 * USD); // $2 +- 30 %
  }

  @Test
  void tenfoldSpikeAfterTwoHoursOfNoisyTrafficAlerts() {
    try (Driver d = anomalies(ProcessorConfig.defaults())) {
      Random r = new Random(42);
      for (int b = 0; b < 24; b++) {
        spend(d, "acme", "/v1/chat", b, noisy(r));
      }
      spend(d, "acme", "/v1/chat", 24, 20 * USD);
      closeBucket(d, 24);
      List<Alert> alerts = d.alerts();
      assertThat(alerts).hasSize(1);
      Alert a = alerts.get(0);
      assertThat(a.getType()).isEqualTo(AlertType.COST_ANOMALY);
      assertThat(a.getRoute()).isEqualTo("/v1/chat");
      assertThat(a.getObservedValue()).isEqualTo(20 * USD);
      assertThat(a.getWindowStart()).isEqualTo(T0.plus(BUCKET.multipliedBy(24)));
      assertThat(a.getDetectedAt()).isEqualTo(T0.plus(BUCKET.multipliedBy(25)));
      assertThat(a.getZScore()).isGreaterThan(3.5);
      assertThat(a.getBaseline()).isBetween(17 * USD / 10, 23 * USD / 10);
      assertThat(a.getThreshold()).isBetween(a.getBaseline(), 20 * USD);
      assertThat(a.getEvidence()).containsEntry("history_buckets", "24").containsEntry("calls_in_bucket", "10");
    }
  }

  @Test
  void twoHoursOfNoisyTrafficAloneRaiseNothing() {
    try (Driver d = anomalies(ProcessorConfig.defaults())) {
      Random r = new Random(42);
      for (int b = 0; b < 48; b++) {
        spend(d, "acme", "/v1/chat", b, noisy(r));
      }
      closeBucket(d, 48);
      assertThat(d.alerts()).isEmpty();
    }
  }

  @Test
  void flatHistoryDoesNotDivideByZero() {
    try (Driver d = anomalies(ProcessorConfig.defaults())) {
      for (int b = 0; b < 24; b++) {
        spend(d, "acme", "/v1/chat", b, 2 * USD);
      }
      spend(d, "acme", "/v1/chat", 24, 21 * USD / 10); // +5 %: z = 0.1 / max(0, 0.01, 10 % of 2) = 0.5
      spend(d, "acme", "/v1/chat", 25, 3 * USD); // +50 % of a flat line: z = 1 / 0.2 = 5
      closeBucket(d, 25);
      List<Alert> alerts = d.alerts();
      assertThat(alerts).hasSize(1);
      assertThat(alerts.get(0).getObservedValue()).isEqualTo(3 * USD);
      assertThat(alerts.get(0).getEvidence()).containsEntry("stddev_floored", "true");
      assertThat(alerts.get(0).getZScore()).isFinite().isBetween(4.5, 5.5);
    }
  }

  @Test
  void noAlertDuringWarmUpOrBelowTheMinimumBucketCost() {
    try (Driver d = anomalies(ProcessorConfig.defaults())) {
      for (int b = 0; b < 6; b++) {
        spend(d, "acme", "/young", b, USD / 10);
      }
      spend(d, "acme", "/young", 6, 50 * USD); // only 6 buckets of history: warming up
      for (int b = 0; b < 24; b++) {
        spend(d, "acme", "/cheap", b, USD / 100);
      }
      spend(d, "acme", "/cheap", 24, USD / 2); // 50x, but $0.50 is under the $1 minimum
      closeBucket(d, 24);
      assertThat(d.alerts()).isEmpty();
    }
  }

  @Test
  void sparseRouteCountsEmptyBucketsAsZero() {
    try (Driver d = anomalies(ProcessorConfig.defaults())) {
      // a $3 call every 30 min (one bucket in six) is its normal rhythm: no alert
      for (int b = 0; b < 48; b += 6) {
        spend(d, "acme", "/nightly", b, 3 * USD);
      }
      closeBucket(d, 48);
      assertThat(d.alerts()).isEmpty();
      // one $2 bucket, then an hour of nothing: 12 buckets of history (11 zeros) make the warm-up
      spend(d, "acme", "/rare", 50, 2 * USD);
      spend(d, "acme", "/rare", 62, 30 * USD);
      closeBucket(d, 62);
      assertThat(d.alerts()).singleElement().satisfies(a -> {
        assertThat(a.getRoute()).isEqualTo("/rare");
        assertThat(a.getEvidence()).containsEntry("history_buckets", "12");
      });
    }
  }

  @Test
  void cooldownPerTenantAndRoute() {
    try (Driver d = anomalies(ProcessorConfig.defaults())) {
      for (int b = 0; b < 24; b++) {
        spend(d, "acme", "/a", b, 2 * USD);
        spend(d, "acme", "/b", b, 2 * USD);
      }
      spend(d, "acme", "/a", 24, 20 * USD);
      spend(d, "acme", "/a", 25, 40 * USD); // within the 30 min cooldown of /a
      spend(d, "acme", "/b", 25, 20 * USD); // another route: its own cooldown
      closeBucket(d, 25);
      assertThat(d.alerts()).extracting(a -> a.getRoute() + "@" + a.getWindowStart())
          .containsExactly("/a@2026-11-23T10:00:00Z", "/b@2026-11-23T10:05:00Z");
    }
  }

  @Test
  void tenantOverrideOfTheThreshold() {
    ProcessorConfig c = ProcessorConfigLoader.parse("""
        tenants:
          spiky:
            anomaly: {z_threshold: 100}  # the flat-line spike below has z = 18 / 0.2 = 90
        """, "test");
    try (Driver d = anomalies(c)) {
      for (int b = 0; b < 24; b++) {
        spend(d, "spiky", "/v1/chat", b, 2 * USD);
        spend(d, "acme", "/v1/chat", b, 2 * USD);
      }
      spend(d, "spiky", "/v1/chat", 24, 20 * USD);
      spend(d, "acme", "/v1/chat", 24, 20 * USD);
      closeBucket(d, 24);
      assertThat(d.alerts()).extracting(Alert::getTenantId).containsExactly("acme");
    }
  }

  @Test
  void callAfterItsBucketClosedIsCountedTooLate() {
    try (Driver d = anomalies(ProcessorConfig.defaults())) {
      spend(d, "acme", "/v1/chat", 0, USD);
      closeBucket(d, 0);
      spend(d, "acme", "/v1/chat", 0, USD);
      assertThat(d.metrics.anomalyTooLate.sum()).isEqualTo(10);
    }
  }
}
