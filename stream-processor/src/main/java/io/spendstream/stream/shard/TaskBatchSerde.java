package io.spendstream.stream.shard;

import io.spendstream.schemas.serde.MalformedRecordException;
import io.spendstream.stream.state.avro.TaskPartial;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The task partials of one tenant and base window as one value: what a shard reports to the merge stage, and what the
 * merge stage holds until the window is final. One record per tenant and window instead of one per task, so traffic
 * with a new task_id on nearly every call does not add a record per call.
 */
public final class TaskBatchSerde implements Serde<List<TaskPartial>> {
  private static final byte VERSION = 1;

  public static byte[] encode(List<TaskPartial> batch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * batch.size() + 8);
    out.write(VERSION);
    Varints.write(out, batch.size());
    for (TaskPartial p : batch) {
      byte[] b = TaskPartialSerde.encode(p);
      Varints.write(out, b.length);
      out.write(b, 0, b.length);
    }
    return out.toByteArray();
  }

  public static List<TaskPartial> decode(byte[] bytes) {
    return Varints.decoding("task batch", () -> {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (in.get() != VERSION) {
        throw new MalformedRecordException("task batch", "unknown version " + bytes[0], null);
      }
      int n = (int) Varints.read(in);
      List<TaskPartial> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int len = (int) Varints.read(in);
        out.add(TaskPartialSerde.decode(Arrays.copyOfRange(bytes, in.position(), in.position() + len)));
        in.position(in.position() + len);
      }
      if (in.hasRemaining()) {
        throw new MalformedRecordException("task batch", "trailing bytes", null);
      }
      return out;
    });
  }

  @Override
  public Serializer<List<TaskPartial>> serializer() {
    return (topic, b) -> b == null ? null : encode(b);
  }

  @Override
  public Deserializer<List<TaskPartial>> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }
}
