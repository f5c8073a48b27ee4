package io.spendstream.stream.windows;

import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.stream.kafka.FlatState;
import io.spendstream.stream.kafka.InternalAvroSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An open window's totals in the window store: read and written once per call, so a flat list of Avro
 * varints behind a version byte instead of the generic record writer, whose logical types and boxed
 * histogram made the window-store writes the largest single item in a profile of the benchmark (13 % of
 * the stream thread).
 *
 * <p>State written before this format (plain Avro {@link CostWindow}) is still read: its first byte is the
 * varint of window_start, which for any time after 1970 has the continuation bit set, so it can never be
 * the version byte.
 */
public final class CostWindowStateSerde implements Serde<CostWindow> {
  static final byte VERSION = 1;
  private static final InternalAvroSerde<CostWindow> LEGACY = InternalAvroSerde.of(CostWindow.class);

  public static byte[] encode(CostWindow w) {
    if (w == null) {
      return null;
    }
    return FlatState.encode(VERSION, 160, out -> {
      out.writeLong(w.getWindowStart().toEpochMilli());
      out.writeLong(w.getWindowEnd().toEpochMilli());
      out.writeLong(w.getWindowSizeMs());
      out.writeString(w.getTenantId());
      out.writeString(w.getRoute());
      out.writeString(w.getModel());
      out.writeLong(w.getCalls());
      out.writeLong(w.getErrors());
      out.writeLong(w.getRateLimited());
      out.writeLong(w.getMaxTokensStops());
      out.writeLong(w.getUnpricedCalls());
      out.writeLong(w.getInputTokens());
      out.writeLong(w.getOutputTokens());
      out.writeLong(w.getCacheReadInputTokens());
      out.writeLong(w.getCacheCreationInputTokens());
      out.writeLong(w.getCostNanos());
      out.writeLong(w.getLatencySumMs());
      out.writeLong(w.getLatencyMaxMs());
      out.writeInt(w.getShard());
      List<Long> h = w.getLatencyHistogram();
      out.writeInt(h.size());
      for (Long v : h) {
        out.writeLong(v);
      }
    });
  }

  public static CostWindow decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (bytes.length == 0 || bytes[0] != VERSION) {
      return LEGACY.decode("cost window state", bytes);
    }
    return FlatState.decode("cost window state", bytes, in -> {
      CostWindow w = new CostWindow();
      w.setWindowStart(Instant.ofEpochMilli(in.readLong()));
      w.setWindowEnd(Instant.ofEpochMilli(in.readLong()));
      w.setWindowSizeMs(in.readLong());
      w.setTenantId(in.readString());
      w.setRoute(in.readString());
      w.setModel(in.readString());
      w.setCalls(in.readLong());
      w.setErrors(in.readLong());
      w.setRateLimited(in.readLong());
      w.setMaxTokensStops(in.readLong());
      w.setUnpricedCalls(in.readLong());
      w.setInputTokens(in.readLong());
      w.setOutputTokens(in.readLong());
      w.setCacheReadInputTokens(in.readLong());
      w.setCacheCreationInputTokens(in.readLong());
      w.setCostNanos(in.readLong());
      w.setLatencySumMs(in.readLong());
      w.setLatencyMaxMs(in.readLong());
      w.setShard(in.readInt());
      int n = in.readInt();
      List<Long> h = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        h.add(in.readLong());
      }
      w.setLatencyHistogram(h);
      return w;
    });
  }

  @Override
  public Serializer<CostWindow> serializer() {
    return (topic, w) -> encode(w);
  }

  @Override
  public Deserializer<CostWindow> deserializer() {
    return (topic, bytes) -> decode(bytes);
  }
}
