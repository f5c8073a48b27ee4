package io.spendstream.ops;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Consumer-group timing for every spendstream consumer. When a member dies without leaving (SIGKILL, a lost
 * node), its partitions stay with it until its session times out; Kafka's default of 45 s means 45 s of no
 * pricing, no rows, no alerts after a crash. 10 s (heartbeats every 3 s) still rides out ordinary GC pauses and
 * broker hiccups; the reliability suite measures recovery with it.
 */
public final class GroupMembership {
  public static final int SESSION_TIMEOUT_MS = 10_000;
  public static final int HEARTBEAT_INTERVAL_MS = 3_000;

  private GroupMembership() {}

  /** The consumer properties to add. */
  public static Map<String, Object> crashDetection() {
    return Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS,
        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, HEARTBEAT_INTERVAL_MS);
  }
}
