package io.spendstream.stream.retrystorm;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.stream.config.RetryStormConfig;
import io.spendstream.stream.state.avro.StormCall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryStormDetectorTest {
  private static final long T0 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
  private static final RetryStormConfig DEFAULTS = RetryStormConfig.defaults(); // 5 calls, 60 s, 10 min

  private static List<RecentCall> at(long... secondsAfterT0) {
    List<RecentCall> out = new ArrayList<>();
    for (long s : secondsAfterT0) {
      out.add(new RecentCall(T0 + s * 1000, 10, 200, null, 1_000));
    }
    return out;
  }

  private static StormCall crossing(List<RecentCall> calls, int at) {
    return StormCall.newBuilder().setTenantId("acme").setPromptHash("3f9a0c1d2e4b5a69").setRoute("/v1/chat")
        .setModel("claude-sonnet-4-6").setTimestamp(calls.get(at).timestamp()).setOutputTokens(10).setErrorType(null)
        .setStatusCode(200).setCostNanos(1_000).build();
  }

  @Test
  void aLateCallThatCompletesAGroupInTheMiddleRaisesItAtTheGroupsLastCall() {
    List<RecentCall> calls = at(0, 10, 20, 30, 40, 50); // 30 s is the late one, placed by event time
    Alert a = RetryStormDetector.onCall(calls, 3, crossing(calls, 3), null, DEFAULTS);
    assertThat(a).isNotNull();
    assertThat(a.getDetectedAt()).isEqualTo(Instant.ofEpochMilli(T0 + 50_000));
    assertThat(a.getWindowStart()).isEqualTo(Instant.ofEpochMilli(T0));
    assertThat(a.getEvidence()).containsEntry("calls", "6").containsEntry("cost_burned_nanos", "6000");
  }

  @Test
  void onlyGroupsThatContainTheCallCount() {
    // 0..50 s is a storm of six, but the call at 200 s belongs to none of it
    List<RecentCall> calls = at(0, 10, 20, 30, 40, 50, 200);
    assertThat(RetryStormDetector.onCall(calls, 6, crossing(calls, 6), null, DEFAULTS)).isNull();
  }

  @Test
  void aGroupWhoseEndIsStillCoolingIsSkippedForALaterOne() {
    List<RecentCall> calls = at(590, 595, 600, 601, 602, 603, 620); // the call at 603 s is in two groups
    Alert first = RetryStormDetector.onCall(calls, 5, crossing(calls, 5), T0, DEFAULTS);
    assertThat(first.getDetectedAt()).as("10 min after an alert at 0 s").isEqualTo(Instant.ofEpochMilli(T0 + 603_000));
    Alert second = RetryStormDetector.onCall(calls, 5, crossing(calls, 5), T0 + 10_000, DEFAULTS);
    assertThat(second.getDetectedAt()).as("the group ending at 603 s still cools").isEqualTo(Instant.ofEpochMilli(T0 + 620_000));
    assertThat(RetryStormDetector.onCall(calls, 5, crossing(calls, 5), T0 + 21_000, DEFAULTS)).as("both groups cool").isNull();
  }

  @Test
  void exactlyTheWindowApartIsNoStorm() {
    RetryStormConfig c = new RetryStormConfig(5, Duration.ofSeconds(60), Duration.ZERO);
    List<RecentCall> calls = at(0, 12, 24, 36, 48, 60);
    assertThat(RetryStormDetector.onCall(calls, 5, crossing(calls, 5), null, c)).isNull();
    List<RecentCall> inside = at(1, 12, 24, 36, 48, 60);
    assertThat(RetryStormDetector.onCall(inside, 5, crossing(inside, 5), null, c)).isNotNull();
  }
}
