package io.spendstream.stream.merge;

import io.spendstream.schemas.serde.MalformedRecordException;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.shard.TaskBatchSerde;
import io.spendstream.stream.windows.CostWindowStateSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * {@link ShardReport}s on the internal shard-reports topic: a kind byte, the shard, then the partial window (the
 * state codec of {@link CostWindowStateSerde}) or the watermark.
 */
public final class ShardReportSerde implements Serde<ShardReport> {
  private static final byte PARTIAL = 0;
  private static final byte WATERMARK = 1;
  private static final byte UNPRICED = 2;
  private static final byte TASK = 3;
  private static final InternalAvroSerde<PricedCall> PRICED = InternalAvroSerde.of(PricedCall.class);

  static byte[] encode(ShardReport r) {
    return switch (r) {
      case ShardReport.Partial p -> {
        byte[] w = CostWindowStateSerde.encode(p.window());
        yield ByteBuffer.allocate(5 + w.length).put(PARTIAL).putInt(p.shard()).put(w).array();
      }
      case ShardReport.Watermark m -> ByteBuffer.allocate(13).put(WATERMARK).putInt(m.shard()).putLong(m.upToMs()).array();
      case ShardReport.Unpriced u -> {
        byte[] c = PRICED.encode(u.call());
        yield ByteBuffer.allocate(5 + c.length).put(UNPRICED).putInt(u.shard()).put(c).array();
      }
      case ShardReport.Tasks t -> {
        byte[] c = TaskBatchSerde.encode(t.tasks());
        yield ByteBuffer.allocate(5 + c.length).put(TASK).putInt(t.shard()).put(c).array();
      }
    };
  }

  static ShardReport decode(byte[] bytes) {
    if (bytes == null || bytes.length < 5) {
      throw new MalformedRecordException("shard report", "too short for a shard report", null);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte kind = b.get();
    int shard = b.getInt();
    if (kind == PARTIAL) {
      return new ShardReport.Partial(shard, CostWindowStateSerde.decode(Arrays.copyOfRange(bytes, 5, bytes.length)));
    }
    if (kind == UNPRICED) {
      return new ShardReport.Unpriced(shard, PRICED.decode("shard report", Arrays.copyOfRange(bytes, 5, bytes.length)));
    }
    if (kind == TASK) {
      return new ShardReport.Tasks(shard, TaskBatchSerde.decode(Arrays.copyOfRange(bytes, 5, bytes.length)));
    }
    if (kind == WATERMARK && bytes.length == 13) {
      return new ShardReport.Watermark(shard, b.getLong());
    }
    throw new MalformedRecordException("shard report", "unknown shard report kind " + kind, null);
  }

  /**
   * Partials go to the partition of their tenant (key), so one merge task holds all of a tenant's windows; unpriced
   * calls to the partition of their provider x model (key); watermarks go to every partition, so each merge task
   * hears from every shard.
   */
  public static StreamPartitioner<String, ShardReport> partitioner() {
    return (topic, key, value, numPartitions) -> value instanceof ShardReport.Watermark
        ? Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()))
        : Optional.of(Set.of(Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % numPartitions));
  }

  @Override
  public Serializer<ShardReport> serializer() {
    return (topic, r) -> r == null ? null : encode(r);
  }

  @Override
  public Deserializer<ShardReport> deserializer() {
    return (topic, bytes) -> decode(bytes);
  }
}
