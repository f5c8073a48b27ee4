package io.spendstream.stream.retrystorm;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.stream.Driver;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.TestCalls;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.config.ProcessorConfigLoader;
import io.spendstream.stream.kafka.StoreKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryStormTopologyTest {
  private static final String HASH = "3f9a0c1d2e4b5a69";
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  private static Driver storms(ProcessorConfig config) {
    ProcessorMetrics m = new ProcessorMetrics();
    return new Driver(RetryStormTopology.build(Driver.TOPICS, Driver.SERDES, config, StoreKind.IN_MEMORY, m), m);
  }

  private static void call(Driver d, String tenant, String hash, Instant at, boolean failed) {
    var b = TestCalls.call(at).setTenantId(tenant).setPromptHash(hash);
    if (failed) {
      b.setStatusCode(529).setErrorType("overloaded_error").setOutputTokens(0);
    }
    d.sendPriced(TestCalls.priced(b.build()));
  }

  private static void calls(Driver d, String tenant, int n, Instant from, long everyMs) {
    for (int i = 0; i < n; i++) {
      call(d, tenant, HASH, from.plusMillis(i * everyMs), i % 2 == 0);
    }
  }

  @Test
  void retryStormFiresOnTheSixthCallWithin60s() {
    try (Driver d = storms(ProcessorConfig.defaults())) {
      calls(d, "acme", 5, T0, 10_000);
      assertThat(d.alerts()).as("5 calls are not more than 5").isEmpty();
      call(d, "acme", HASH, T0.plusSeconds(50), false);
      List<Alert> alerts = d.alerts();
      assertThat(alerts).hasSize(1);
      Alert a = alerts.get(0);
      assertThat(a.getType()).isEqualTo(AlertType.RETRY_STORM);
      assertThat(a.getTenantId()).isEqualTo("acme");
      assertThat(a.getDimensionValue()).isEqualTo(HASH);
      assertThat(a.getDetectedAt()).as("raised at the crossing call, not at a window end").isEqualTo(T0.plusSeconds(50));
      assertThat(a.getObservedValue()).isEqualTo(6);
      assertThat(a.getThreshold()).isEqualTo(5);
      assertThat(a.getSeverity()).isEqualTo(Severity.WARNING);
      assertThat(a.getEvidence()).containsEntry("calls", "6").containsEntry("first_call_at", "2026-11-23T10:00:00Z")
          .containsEntry("last_call_at", "2026-11-23T10:00:50Z").containsEntry("zero_output_calls", "3")
          .containsEntry("zero_output_share_pct", "50").containsEntry("error_types", "overloaded_error");
      // 3 failed calls cost 1000 x $3 (no output) and 3 succeeded ones 4,500,000 each
      assertThat(a.getCostNanos()).isEqualTo(3 * 3_000_000L + 3 * TestCalls.DEFAULT_COST);
      assertThat(a.getEvidence()).containsEntry("cost_burned_nanos", String.valueOf(a.getCostNanos()));
    }
  }

  @Test
  void sixCallsSpreadOverMoreThan60sAreNoStorm() {
    try (Driver d = storms(ProcessorConfig.defaults())) {
      calls(d, "acme", 6, T0, 12_000); // first to last: 60 s
      calls(d, "acme", 12, T0.plusSeconds(600), 13_000);
      assertThat(d.alerts()).isEmpty();
    }
  }

  @Test
  void cooldownSilencesAContinuingStormThenItFiresAgain() {
    try (Driver d = storms(ProcessorConfig.defaults())) {
      calls(d, "acme", 6, T0, 1000);
      assertThat(d.alerts()).hasSize(1);
      calls(d, "acme", 67, T0.plusSeconds(6), 9_000); // the storm goes on until 10:10:00
      assertThat(d.alerts()).as("silent during the 10 min cooldown").isEmpty();
      calls(d, "acme", 6, T0.plusSeconds(605), 1000);
      List<Alert> again = d.alerts();
      assertThat(again).hasSize(1);
      assertThat(again.get(0).getDetectedAt()).isEqualTo(T0.plusSeconds(605));
    }
  }

  @Test
  void stormAcrossMinuteAndHourBordersIsCaught() {
    try (Driver d = storms(ProcessorConfig.defaults())) {
      calls(d, "acme", 6, Instant.parse("2026-11-23T10:59:35Z"), 9_000); // 10:59:35 .. 11:00:20
      assertThat(d.alerts()).hasSize(1);
    }
  }

  @Test
  void tenantsAndPromptsAreIndependentAndLateCallsCount() {
    try (Driver d = storms(ProcessorConfig.defaults())) {
      calls(d, "acme", 3, T0, 1000);
      calls(d, "beta", 3, T0, 1000);
      call(d, "acme", "0000000000000001", T0.plusSeconds(4), false);
      assertThat(d.alerts()).isEmpty();
      call(d, "acme", HASH, T0.plusSeconds(20), false);
      call(d, "acme", HASH, T0.plusSeconds(10), false); // late, still inside the 60 s
      call(d, "acme", HASH, T0.plusSeconds(15), false);
      assertThat(d.alerts()).extracting(Alert::getTenantId).containsExactly("acme");
    }
  }

  @Test
  void tenantOverrideRaisesTheThreshold() {
    ProcessorConfig c = ProcessorConfigLoader.parse("""
        tenants:
          batchy:
            retry_storm: {threshold_calls: 20}
        """, "test");
    try (Driver d = storms(c)) {
      calls(d, "batchy", 20, T0, 1000);
      calls(d, "acme", 6, T0, 1000);
      assertThat(d.alerts()).extracting(Alert::getTenantId).containsExactly("acme");
      call(d, "batchy", HASH, T0.plusSeconds(30), false);
      assertThat(d.alerts()).singleElement().satisfies(a -> {
        assertThat(a.getTenantId()).isEqualTo("batchy");
        assertThat(a.getThreshold()).isEqualTo(20);
      });
    }
  }

  @Test
  void callsWithoutPromptHashAreNeverAStorm() {
    try (Driver d = storms(ProcessorConfig.defaults())) {
      for (int i = 0; i < 20; i++) {
        d.sendPriced(TestCalls.priced(TestCalls.call(T0.plusMillis(i)).build()));
      }
      assertThat(d.alerts()).isEmpty();
    }
  }
  @Test
  void callsInOneMillisecondEachCount() {
    try (Driver d = storms(ProcessorConfig.defaults())) {
      calls(d, "acme", 5, T0, 0);
      assertThat(d.alerts()).isEmpty();
      call(d, "acme", HASH, T0, false);
      assertThat(d.alerts()).singleElement().satisfies(a -> assertThat(a.getObservedValue()).isEqualTo(6));
    }
  }

  @Test
  void aOneMillisecondWindowCountsOnlyCallsInThatMillisecond() {
    ProcessorConfig c = ProcessorConfigLoader.parse("""
        retry_storm: {window: PT0.001S}
        """, "test");
    try (Driver d = storms(c)) {
      calls(d, "acme", 6, T0, 1);
      assertThat(d.alerts()).isEmpty();
      calls(d, "beta", 6, T0, 0);
      assertThat(d.alerts()).extracting(Alert::getTenantId).containsExactly("beta");
    }
  }

  @Test
  void aStormStillInTheBacklogIsCaughtWhenStreamTimeRanAhead() {
    try (Driver d = storms(ProcessorConfig.defaults())) {
      // after an outage, another partition's newer calls can reach the detector first
      call(d, "acme", "0000000000000001", T0.plusSeconds(1_200), false);
      calls(d, "acme", 6, T0, 1000); // 20 min behind stream time
      assertThat(d.alerts()).singleElement().satisfies(a -> assertThat(a.getDetectedAt()).isEqualTo(T0.plusSeconds(5)));
    }
  }

  @Test
  void aLongStormAlertsOncePerCooldown() {
    try (Driver d = storms(ProcessorConfig.defaults())) {
      calls(d, "acme", 3_000, T0, 250); // 4 calls/s for 12.5 min, across a state bucket border
      assertThat(d.alerts()).extracting(Alert::getDetectedAt).containsExactly(T0.plusMillis(1_250), T0.plusMillis(601_250));
    }
  }

  @Test
  void aQuietPairsStateIsGoneWithTheStoresOldestSegment() {
    try (Driver d = storms(ProcessorConfig.defaults())) {
      calls(d, "acme", 6, T0, 1000);
      assertThat(d.alerts()).hasSize(1);
      var states = d.driver.<String, StormState>getWindowStore(RetryStormTopology.STORE);
      long bucket = T0.toEpochMilli(); // 10:00 starts a 15-minute bucket (10 min cooldown + 5 min grace)
      assertThat(states.fetch("acme|" + HASH, bucket).lastAlertAt()).isEqualTo(T0.plusSeconds(5).toEpochMilli());
      call(d, "acme", "0000000000000001", T0.plusSeconds(1_800), false); // two buckets later
      assertThat(states.fetch("acme|" + HASH, bucket)).isNull();
      calls(d, "acme", 6, T0.plusSeconds(1_810), 1000);
      assertThat(d.alerts()).as("a new storm on the same prompt, long after").hasSize(1);
    }
  }
}
