package io.spendstream.alerting.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
  private static final TopicPartition P0 = new TopicPartition("alerts.v1", 0);
  private static final TopicPartition P1 = new TopicPartition("alerts.v1", 1);
  private final OffsetTracker t = new OffsetTracker();

  @Test
  void commitNeverPassesAnAlertStillInFlight() {
    t.taken(P0, 10);
    t.taken(P0, 11);
    t.taken(P0, 12);
    t.finished(P0, 11);
    t.finished(P0, 12);
    assertThat(t.committable()).containsExactly(Map.entry(P0, 10L));
    assertThat(t.inFlight()).isEqualTo(1);
    t.finished(P0, 10);
    assertThat(t.committable()).containsExactly(Map.entry(P0, 13L));
    assertThat(t.inFlight()).isZero();
  }

  @Test
  void onlyChangedPositionsAreOfferedAgain() {
    t.taken(P0, 0);
    t.taken(P1, 5);
    t.finished(P0, 0);
    Map<TopicPartition, Long> first = t.committable();
    assertThat(first).containsOnly(Map.entry(P0, 1L), Map.entry(P1, 5L));
    t.markCommitted(first);
    assertThat(t.committable()).isEmpty();
    t.finished(P1, 5);
    assertThat(t.committable()).containsExactly(Map.entry(P1, 6L));
  }

  @Test
  void aRevokedPartitionIsForgotten() {
    t.taken(P0, 3);
    t.forget(P0);
    assertThat(t.committable()).isEmpty();
    assertThat(t.inFlight()).isZero();
    t.finished(P0, 3);
    assertThat(t.committable()).isEmpty();
  }
}
