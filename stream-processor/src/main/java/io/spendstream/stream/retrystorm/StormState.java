package io.spendstream.stream.retrystorm;

import java.util.List;

/**
 * One tenant x prompt hash: its most recent calls by event time (at most threshold + 1; the last is the newest
 * call seen) and the detection time of its last alert (null if none).
 */
public record StormState(List<RecentCall> recent, Long lastAlertAt) {
  public StormState {
    recent = List.copyOf(recent);
  }
}
