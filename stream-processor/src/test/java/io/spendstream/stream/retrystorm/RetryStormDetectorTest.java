package io.spendstream.stream.retrystorm;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.stream.config.RetryStormConfig;
import io.spendstream.stream.state.avro.StormCall;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryStormDetectorTest {
  private static final long T0 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
  private static final RetryStormConfig DEFAULTS = RetryStormConfig.defaults(); // 5 calls, 60 s, 10 min

  private static StormCall at(long secondsAfterT0) {
    return StormCall.newBuilder().setTenantId("acme").setPromptHash("3f9a0c1d2e4b5a69").setRoute("/v1/chat")
        .setModel("claude-sonnet-4-6").setTimestamp(T0 + secondsAfterT0 * 1000).setOutputTokens(10).setErrorType(null)
        .setStatusCode(200).setCostNanos(1_000).build();
  }

  /** Feeds the calls in this order; returns the last result. */
  private static RetryStormDetector.Result feed(StormState start, RetryStormConfig c, long... secondsAfterT0) {
    RetryStormDetector.Result r = new RetryStormDetector.Result(start, null);
    for (long s : secondsAfterT0) {
      r = RetryStormDetector.onCall(r.state(), at(s), c);
    }
    return r;
  }

  @Test
  void aLateCallThatCompletesTheStormRaisesItAtTheNewestCall() {
    RetryStormDetector.Result r = feed(null, DEFAULTS, 0, 10, 20, 40, 50);
    assertThat(r.alert()).isNull();
    r = RetryStormDetector.onCall(r.state(), at(30), DEFAULTS); // late, inside the window
    Alert a = r.alert();
    assertThat(a).isNotNull();
    assertThat(a.getDetectedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 50_000));
    assertThat(a.getWindowStart()).isEqualTo(Instant.ofEpochMilli(T0));
    assertThat(a.getEvidence()).containsEntry("calls", "6").containsEntry("cost_burned_nanos", "6000");
    assertThat(r.state().recent()).extracting(RecentCall::timestamp).isSorted();
  }

  @Test
  void theStateKeepsThresholdPlusOneCallsHoweverLongTheStorm() {
    long[] storm = new long[2_000];
    for (int i = 0; i < storm.length; i++) {
      storm[i] = i;
    }
    RetryStormDetector.Result r = feed(null, DEFAULTS, storm);
    assertThat(r.state().recent()).hasSize(6);
    assertThat(r.state().lastAlertAt()).as("alerted at 5 s, again at 605 s, again at 1205 s, ...").isEqualTo(T0 + 1_805_000);
    assertThat(r.state().recent().getLast().timestamp()).as("the newest call").isEqualTo(T0 + 1_999_000);
  }

  @Test
  void cooldownCountsFromTheLastAlertsDetectionTime() {
    RetryStormDetector.Result r = feed(null, DEFAULTS, 0, 1, 2, 3, 4, 5);
    assertThat(r.alert()).isNotNull();
    r = feed(r.state(), DEFAULTS, 600, 601, 602, 603, 604);
    assertThat(r.alert()).as("604 s is 599 s after the alert").isNull();
    r = RetryStormDetector.onCall(r.state(), at(605), DEFAULTS);
    assertThat(r.alert()).isNotNull();
  }

  @Test
  void exactlyTheWindowApartIsNoStorm() {
    RetryStormConfig c = new RetryStormConfig(5, Duration.ofSeconds(60), Duration.ZERO);
    assertThat(feed(null, c, 0, 12, 24, 36, 48, 60).alert()).isNull();
    assertThat(feed(null, c, 1, 12, 24, 36, 48, 60).alert()).isNotNull();
  }
}
