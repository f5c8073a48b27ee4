package io.spendstream.stream.retrystorm;

import io.spendstream.schemas.serde.MalformedRecordException;
import io.spendstream.stream.kafka.FlatState;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link RecentCall} in the storm detector's window store and its changelog: written once per call, so a
 * version byte and five Avro varints (about 15 bytes) rather than a generic record writer.
 */
public final class RecentCallSerde implements Serde<RecentCall> {
  static final byte VERSION = 1;
  private static final String WHAT = "retry-storm call state";

  static byte[] encode(RecentCall c) {
    if (c == null) {
      return null;
    }
    return FlatState.encode(VERSION, 24, out -> {
      out.writeLong(c.timestamp());
      out.writeLong(c.outputTokens());
      out.writeInt(c.statusCode());
      out.writeLong(c.costNanos());
      out.writeBoolean(c.errorType() != null);
      if (c.errorType() != null) {
        out.writeString(c.errorType());
      }
    });
  }

  static RecentCall decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length == 0 || bytes[0] != VERSION) {
      throw new MalformedRecordException(WHAT, "unknown " + WHAT + " version", null);
    }
    return FlatState.decode(WHAT, bytes, in -> {
      long timestamp = in.readLong();
      long outputTokens = in.readLong();
      int statusCode = in.readInt();
      long costNanos = in.readLong();
      String errorType = in.readBoolean() ? in.readString() : null;
      return new RecentCall(timestamp, outputTokens, statusCode, errorType, costNanos);
    });
  }

  @Override
  public Serializer<RecentCall> serializer() {
    return (topic, c) -> encode(c);
  }

  @Override
  public Deserializer<RecentCall> deserializer() {
    return (topic, bytes) -> decode(bytes);
  }
}
