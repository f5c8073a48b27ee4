package io.spendstream.tools.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether a Kafka Streams application has caught up: its committed offsets on the input topic are at the
 * end, and on every other topic it reads (repartition, priced) at most one offset short of the end (the
 * commit marker of the last transaction, which an exactly-once reader never commits past).
 */
final class GroupLag {
  private GroupLag() {}

  static boolean caughtUp(Admin admin, String groupId, String inputTopic, int inputPartitions) throws Exception {
    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
    // every partition assigned to a member must be checked, also those it has not committed yet
    Set<TopicPartition> assigned = new HashSet<>(committed.keySet());
    admin.describeConsumerGroups(List.of(groupId)).all().get(10, TimeUnit.SECONDS).get(groupId).members()
        .forEach(m -> assigned.addAll(m.assignment().topicPartitions()));
    long inputSeen = assigned.stream().filter(tp -> tp.topic().equals(inputTopic)).count();
    if (inputSeen < inputPartitions) {
      return false;
    }
    Map<TopicPartition, OffsetSpec> want = new HashMap<>();
    assigned.forEach(tp -> want.put(tp, OffsetSpec.latest()));
    var ends = admin.listOffsets(want).all().get(10, TimeUnit.SECONDS);
    for (TopicPartition tp : assigned) {
      OffsetAndMetadata c = committed.get(tp);
      long lag = ends.get(tp).offset() - (c == null ? 0 : c.offset());
      if (tp.topic().equals(inputTopic) ? lag > 0 : lag > 1) {
        return false;
      }
    }
    return true;
  }

  /** Polls until caught up; returns when, in nanos (System.nanoTime), or throws after the timeout. */
  static long awaitCaughtUp(Admin admin, String groupId, String inputTopic, int partitions, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (caughtUp(admin, groupId, inputTopic, partitions)) {
        return System.nanoTime();
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(groupId + " did not catch up with " + inputTopic + " within " + timeout);
  }
}
