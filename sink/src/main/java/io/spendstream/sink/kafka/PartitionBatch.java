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
  final List<Entry> entries = new ArrayList<>();
  long bytes;
  long firstAtNanos;

  PartitionBatch(TopicPartition tp, long start, long forcedEnd) {
    this.tp = tp;
    this.start = start;
    this.forcedEnd = forcedEnd;
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
