package io.spendstream.sink.kafka;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of one partition since its last committed batch. A batch is identified by its offset range
 * [start, end]: start is the partition's position when the batch began (its committed offset), end the
 * last offset in it. The same range always holds the same records, so a retried insert carries the same
 * rows and the same deduplication token.
 */
final class PartitionBatch {
  /** One consumed record: its decoded value, or why it cannot be a row. */
  record Entry(ConsumerRecord<byte[], byte[]> raw, SpecificRecord value, String deadReason) {}

  final TopicPartition tp;
  final long start;
  /** While recovering an interrupted batch: the offset the batch must end at (its rows may already be in ClickHouse). */
  final long forcedEnd;
  /** Not known yet whether an interrupted batch must be rebuilt (ClickHouse did not answer at assignment). */
  private static final long UNKNOWN_END = -2;
  long retryRecoveryAtNanos;
  final List<Entry> entries = new ArrayList<>();
  long bytes;
  long firstAtNanos;

  PartitionBatch(TopicPartition tp, long start, long forcedEnd) {
    this.tp = tp;
    this.start = start;
    this.forcedEnd = forcedEnd;
  }

  static PartitionBatch awaitingRecovery(TopicPartition tp, long start) {
    return new PartitionBatch(tp, start, UNKNOWN_END);
  }

  boolean awaitingRecovery() {
    return forcedEnd == UNKNOWN_END;
  }

  /** The offset the next record must have at least (smaller ones were read into this batch or committed). */
  long nextOffset() {
    return entries.isEmpty() ? start : end() + 1;
  }

  void add(Entry e) {
    if (entries.isEmpty()) {
      firstAtNanos = System.nanoTime();
    }
    entries.add(e);
    bytes += e.raw().serializedValueSize() + 64L;
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  long end() {
    return entries.getLast().raw().offset();
  }

  boolean recovering() {
    return forcedEnd >= 0;
  }

  String token() {
    return tp.topic() + "-" + tp.partition() + "-" + start + "-" + end();
  }
}
