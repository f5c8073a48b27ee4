package io.spendstream.stream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.config.ConfigException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessorConfigLoaderTest {
  @Test
  void emptyFileGivesTheDocumentedDefaults() {
    ProcessorConfig c = ProcessorConfigLoader.parse("", "empty");
    assertThat(c).isEqualTo(ProcessorConfig.defaults());
    assertThat(c.dedupe().horizon()).isEqualTo(Duration.ofHours(24));
    assertThat(c.windows().sizes()).containsExactly(Duration.ofMinutes(1), Duration.ofHours(1));
    assertThat(c.windows().grace()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.retryStorm()).isEqualTo(new RetryStormConfig(5, Duration.ofSeconds(60), Duration.ofMinutes(10)));
    assertThat(c.anomaly().zThreshold()).isEqualByComparingTo("3.5");
    assertThat(c.anomaly().minBucketCostNanos()).isEqualTo(1_000_000_000L);
    assertThat(c.unpriced().alertEvery()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void readsEverySettingAndMergesTenantOverridesOverTheFileDefaults() {
    ProcessorConfig c = ProcessorConfigLoader.parse("""
        dedupe: {horizon: 48h}
        windows: {sizes: [30s, PT15M], grace: 2m}
        retry_storm: {threshold_calls: 8, window: 2m, cooldown: 0s}
        anomaly:
          bucket: 10m
          grace: 45s
          history_buckets: 36
          warmup_buckets: 6
          z_threshold: 4
          min_bucket_cost_usd: "0.25"
          stddev_floor_usd: 0.000000001
          stddev_floor_ratio: 0.2
          cooldown: 1h
        unpriced_model: {alert_every: 1d}
        tenants:
          acme:
            anomaly: {z_threshold: 6}
        """, "test");
    assertThat(c.dedupe().horizon()).isEqualTo(Duration.ofHours(48));
    assertThat(c.windows().sizes()).containsExactly(Duration.ofSeconds(30), Duration.ofMinutes(15));
    assertThat(c.retryStorm().thresholdCalls()).isEqualTo(8);
    assertThat(c.anomaly().minBucketCostNanos()).isEqualTo(250_000_000L);
    assertThat(c.anomaly().stddevFloorNanos()).isEqualTo(1L);
    assertThat(c.anomaly().stddevFloorRatio()).isEqualByComparingTo(new BigDecimal("0.2"));
    assertThat(c.anomaly("acme").zThreshold()).isEqualByComparingTo("6");
    assertThat(c.anomaly("acme").bucket()).as("inherits the file's values").isEqualTo(Duration.ofMinutes(10));
    assertThat(c.anomaly("acme").historyBuckets()).isEqualTo(36);
    assertThat(c.retryStorm("acme")).isEqualTo(c.retryStorm());
    assertThat(c.anomaly("other")).isEqualTo(c.anomaly());
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> ProcessorConfigLoader.parse("""
        windows: {sizes: [1m, 1m], grace: -5m}
        retry_storm: {threshold_calls: 0, window: soon}
        anomaly: {min_bucket_cost_usd: "0.0000000001", stddev_floor_usd: 0}
        alerting: {}
        tenants:
          acme:
            anomaly: {bucket: 1m}
        """, "bad.yaml"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
            p -> assertThat(p).isEqualTo("bad.yaml: alerting: unknown setting (known: alerts, anomaly, dedupe, retry_storm,"
                + " tenants, unpriced_model, windows)"),
            p -> assertThat(p).startsWith("bad.yaml: windows.sizes: must not repeat"),
            p -> assertThat(p).contains("windows.grace"),
            p -> assertThat(p).contains("retry_storm.window: 'soon' is not a duration"),
            p -> assertThat(p).contains("retry_storm.threshold_calls: must be 1..10000"),
            p -> assertThat(p).contains("anomaly.min_bucket_cost_usd: more precise than a nano-USD"),
            p -> assertThat(p).contains("anomaly.stddev_floor_usd: must be > 0"),
            p -> assertThat(p).contains("tenants.acme.anomaly.bucket: unknown setting")));
  }

  @Test
  void anAnomalyBucketMustBeMadeOfWholeWindows() {
    assertThatThrownBy(() -> ProcessorConfigLoader.parse("""
        windows: {sizes: [2m, 1h]}
        anomaly: {bucket: 5m}
        """, "odd.yaml"))
        .hasMessageContaining("anomaly.bucket: must be a multiple of the smallest window (PT2M)");
    assertThat(ProcessorConfigLoader.parse("windows: {sizes: [1m, 1h, 1d]}\nanomaly: {bucket: 10m}\n", "ok.yaml")
        .windows().larger()).hasSize(2);
  }

  @Test
  void theExampleFileInTheRepositoryLoads() throws Exception {
    Path example = Path.of("stream-processor.example.yaml");
    assertThat(example).exists();
    ProcessorConfig c = ProcessorConfigLoader.load(example);
    assertThat(c.retryStorm()).isEqualTo(RetryStormConfig.defaults());
    assertThat(c.tenants()).isNotEmpty();
    assertThat(Files.readString(example)).contains("stddev_floor_usd");
    assertThat(List.copyOf(c.windows().sizes())).isEqualTo(WindowsConfig.defaults().sizes());
    assertThat(c.alerts()).as("the example writes out the catalogue's defaults").isEqualTo(CatalogueConfig.defaults());
    assertThat(c.alerts("acme").budget().dailyNanos()).isEqualTo(100_000_000_000L);
  }

  @Test
  void theAlertCatalogueHasDefaultsAndPerTenantOverridesOverTheFileValues() {
    ProcessorConfig c = ProcessorConfigLoader.parse("""
        alerts:
          error_rate: {max_rate: 0.10, window: 5m}
          latency_p95: {enabled: false}
        tenants:
          acme:
            budget: {daily_usd: 100, monthly_usd: 2000}
            error_rate: {min_calls: 5}
        """, "alerts.yaml");
    assertThat(c.alerts().errorRate().maxRate()).isEqualByComparingTo("0.10");
    assertThat(c.alerts().errorRate().minCalls()).as("default").isEqualTo(20);
    assertThat(c.alerts().latencyP95().enabled()).isFalse();
    assertThat(c.alerts().budget().dailyNanos()).as("no budget unless configured").isNull();
    CatalogueConfig acme = c.alerts("acme");
    assertThat(acme.budget().dailyNanos()).isEqualTo(100_000_000_000L);
    assertThat(acme.budget().monthlyNanos()).isEqualTo(2_000_000_000_000L);
    assertThat(acme.budget().thresholds()).extracting(java.math.BigDecimal::toPlainString).containsExactly("0.5", "0.8", "1");
    assertThat(acme.errorRate().minCalls()).isEqualTo(5);
    assertThat(acme.errorRate().maxRate()).as("inherits the file's value").isEqualByComparingTo("0.10");
    assertThat(acme.errorRate().window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(acme.latencyP95().enabled()).isFalse();
    assertThat(c.alerts("other")).isEqualTo(c.alerts());
  }

  @Test
  void alertCatalogueProblemsNameTheirSetting() {
    assertThatThrownBy(() -> ProcessorConfigLoader.parse("""
        alerts:
          error_rate: {max_rate: 1.5}
          nope: {}
        tenants:
          acme:
            budget: {daily_usd: -1, thresholds: [0.8, 0.5]}
        """, "bad.yaml"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).anySatisfy(
            p -> assertThat(p).isEqualTo("bad.yaml: alerts.nope: unknown setting (known: baseline_days, budget, cache_ratio,"
                + " error_rate, latency_p95, model_mix, no_success, prompt_growth, rate_limited, runaway_task,"
                + " spend_baseline, truncation_rate)")).anySatisfy(
            p -> assertThat(p).isEqualTo("bad.yaml: alerts.error_rate.max_rate: must be a fraction 0..1 (0.05 = 5 %)"))
            .anySatisfy(
            p -> assertThat(p).isEqualTo("bad.yaml: tenants.acme.budget.daily_usd: must be > 0")).anySatisfy(
            p -> assertThat(p).startsWith("bad.yaml: tenants.acme.budget.thresholds: must be ascending")));
  }
}
