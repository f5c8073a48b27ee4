package io.spendstream.stream.shard;

import io.spendstream.schemas.serde.MalformedRecordException;
import io.spendstream.stream.state.avro.TaskRun;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A compact codec of {@link TaskRun} (read and written for every task and window at the merge stage): the run as a
 * {@link TaskPartialSerde} record, then the lifetime cost, three flags and the subtasks.
 */
public final class TaskRunSerde implements Serde<TaskRun> {
  private static final byte VERSION = 1;

  public static byte[] encode(TaskRun r) {
    byte[] run = TaskPartialSerde.encode(r.getRun());
    ByteArrayOutputStream out = new ByteArrayOutputStream(run.length + 32);
    out.write(VERSION);
    Varints.write(out, run.length);
    out.write(run, 0, run.length);
    Varints.write(out, r.getLifetimeCostNanos());
    out.write((r.getHopsFired() ? 1 : 0) | (r.getCostFired() ? 2 : 0) | (r.getConversationFired() ? 4 : 0));
    TaskPartialSerde.writeStrings(out, r.getChildren());
    return out.toByteArray();
  }

  public static TaskRun decode(byte[] bytes) {
    return Varints.decoding("task run", () -> {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      if (in.get() != VERSION) {
        throw new MalformedRecordException("task run", "unknown version " + bytes[0], null);
      }
      int n = (int) Varints.read(in);
      byte[] run = Arrays.copyOfRange(bytes, in.position(), in.position() + n);
      in.position(in.position() + n);
      long lifetime = Varints.read(in);
      byte flags = in.get();
      TaskRun r = TaskRun.newBuilder().setRun(TaskPartialSerde.decode(run)).setLifetimeCostNanos(lifetime)
          .setHopsFired((flags & 1) != 0).setCostFired((flags & 2) != 0).setConversationFired((flags & 4) != 0)
          .setChildren(TaskPartialSerde.readStrings(in)).build();
      if (in.hasRemaining()) {
        throw new MalformedRecordException("task run", "trailing bytes", null);
      }
      return r;
    });
  }

  @Override
  public Serializer<TaskRun> serializer() {
    return (topic, r) -> r == null ? null : encode(r);
  }

  @Override
  public Deserializer<TaskRun> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }
}
