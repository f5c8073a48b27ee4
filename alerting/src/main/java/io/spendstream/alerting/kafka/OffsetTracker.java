package io.spendstream.alerting.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed: per partition, the records taken but not yet finished (delivered, suppressed
 * or parked everywhere they go). The committable position is the lowest unfinished offset, or one past the last
 * record taken when all are finished — so a record finishing early never lets the commit skip a slower one.
 */
public final class OffsetTracker {
  private final Map<TopicPartition, TreeMap<Long, Boolean>> open = new HashMap<>();
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private final Map<TopicPartition, Long> committed = new HashMap<>();

  public synchronized void taken(TopicPartition tp, long offset) {
    open.computeIfAbsent(tp, k -> new TreeMap<>()).put(offset, false);
    next.merge(tp, offset + 1, Math::max);
  }

  public synchronized void finished(TopicPartition tp, long offset) {
    TreeMap<Long, Boolean> m = open.get(tp);
    if (m != null && m.containsKey(offset)) {
      m.put(offset, true);
    }
  }

  /** Positions to commit now (changed since the last call), per partition. */
  public synchronized Map<TopicPartition, Long> committable() {
    Map<TopicPartition, Long> out = new HashMap<>();
    for (Map.Entry<TopicPartition, TreeMap<Long, Boolean>> e : open.entrySet()) {
      TreeMap<Long, Boolean> m = e.getValue();
      while (!m.isEmpty() && m.firstEntry().getValue()) {
        m.pollFirstEntry();
      }
      long position = m.isEmpty() ? next.get(e.getKey()) : m.firstKey();
      if (!Long.valueOf(position).equals(committed.get(e.getKey()))) {
        out.put(e.getKey(), position);
      }
    }
    return out;
  }

  public synchronized void markCommitted(Map<TopicPartition, Long> positions) {
    committed.putAll(positions);
  }

  /** A revoked partition: its unfinished records are the new owner's to redeliver. */
  public synchronized void forget(TopicPartition tp) {
    open.remove(tp);
    next.remove(tp);
    committed.remove(tp);
  }

  public synchronized int inFlight() {
    int n = 0;
    for (TreeMap<Long, Boolean> m : open.values()) {
      for (boolean done : m.values()) {
        n += done ? 0 : 1;
      }
    }
    return n;
  }
}
