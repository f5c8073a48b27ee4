package io.spendstream.stream.retrystorm;

import java.util.List;

/**
 * One tenant x prompt hash: its most recent calls by event time (at most threshold + 1), the detection time of
 * its last alert (null if none) and the newest event time seen.
 */
public record StormState(List<RecentCall> recent, Long lastAlertAt, long lastSeen) {
  public StormState {
    recent = List.copyOf(recent);
  }
}
