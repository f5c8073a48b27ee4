package io.spendstream.stream.retrystorm;

import io.spendstream.schemas.serde.MalformedRecordException;
import io.spendstream.stream.kafka.FlatState;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A {@link StormState} in the detector's store and changelog: read and written once per call, so a version byte
 * and varints (about 20 bytes for a prompt hash seen once) rather than a generic record writer.
 */
public final class StormStateSerde implements Serde<StormState> {
  static final byte VERSION = 1;
  private static final String WHAT = "retry-storm state";

  static byte[] encode(StormState s) {
    if (s == null) {
      return null;
    }
    return FlatState.encode(VERSION, 4 + 20 * s.recent().size(), out -> {
      out.writeBoolean(s.lastAlertAt() != null);
      if (s.lastAlertAt() != null) {
        out.writeLong(s.lastAlertAt());
      }
      out.writeInt(s.recent().size());
      for (RecentCall c : s.recent()) {
        out.writeLong(c.timestamp());
        out.writeLong(c.outputTokens());
        out.writeInt(c.statusCode());
        out.writeLong(c.costNanos());
        out.writeBoolean(c.errorType() != null);
        if (c.errorType() != null) {
          out.writeString(c.errorType());
        }
      }
    });
  }

  static StormState decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length == 0 || bytes[0] != VERSION) {
      throw new MalformedRecordException(WHAT, "unknown " + WHAT + " version", null);
    }
    return FlatState.decode(WHAT, bytes, in -> {
      Long lastAlertAt = in.readBoolean() ? in.readLong() : null;
      int n = in.readInt();
      if (n < 0 || n > bytes.length) {
        throw new MalformedRecordException(WHAT, "impossible call count " + n, null);
      }
      List<RecentCall> recent = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long timestamp = in.readLong();
        long outputTokens = in.readLong();
        int statusCode = in.readInt();
        long costNanos = in.readLong();
        String errorType = in.readBoolean() ? in.readString() : null;
        recent.add(new RecentCall(timestamp, outputTokens, statusCode, errorType, costNanos));
      }
      return new StormState(recent, lastAlertAt);
    });
  }

  @Override
  public Serializer<StormState> serializer() {
    return (topic, s) -> encode(s);
  }

  @Override
  public Deserializer<StormState> deserializer() {
    return (topic, bytes) -> decode(bytes);
  }
}
