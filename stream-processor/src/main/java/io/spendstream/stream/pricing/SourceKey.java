package io.spendstream.stream.pricing;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;
import java.util.Optional;
import java.util.Set;

/**
 * Key of the pricing output: the bytes written as the record key, and the input partition the call came
 * from. Priced calls stay on the partition number they came in on, so each partition of the priced
 * topic has exactly one writer and its event time only moves as fast as that writer's input. Without
 * this, one input partition racing ahead (say, after a restart with a backlog) would push the windows'
 * stream time forward and make the other partitions' calls "too late".
 */
public record SourceKey(byte[] bytes, int partition) {
  private static final Serializer<SourceKey> SERIALIZER = (topic, key) -> key == null ? null : key.bytes();
  /** Write-only: the pricing output is read back as plain keys. */
  public static final Serde<SourceKey> SERDE = Serdes.serdeFrom(SERIALIZER, (topic, bytes) -> {
    throw new UnsupportedOperationException("SourceKey is only written");
  });

  /** Same partition number as the source, modulo the priced topic's partition count. */
  public static <V> StreamPartitioner<SourceKey, V> samePartition() {
    return (topic, key, value, numPartitions) -> Optional.of(Set.of(Math.floorMod(key.partition(), numPartitions)));
  }
}
