package io.spendstream.stream.shard;

import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.DimensionKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A shard's open base windows, one entry per window x tenant x model x route, keyed by the window start (8 bytes,
 * big-endian) and the dimension, so the windows to close are a prefix of the store's order: closing reads only them.
 */
public final class MinutePartials {
  private final KeyValueStore<Bytes, PartialSums> store;
  private final long sizeMs;

  public MinutePartials(KeyValueStore<Bytes, PartialSums> store, long sizeMs) {
    this.sizeMs = sizeMs;
    this.store = store;
  }

  public static Bytes key(long startMs, String dimension) {
    byte[] d = dimension.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(8 + d.length).putLong(startMs).put(d).array());
  }

  public static long startOf(Bytes key) {
    return ByteBuffer.wrap(key.get()).getLong();
  }

  public static String dimensionOf(Bytes key) {
    byte[] k = key.get();
    return new String(k, 8, k.length - 8, StandardCharsets.UTF_8);
  }

  /** Adds a priced call to its base window (starting at {@code startMs}); sums are checked (an overflow throws). */
  public void add(long startMs, PricedCall priced) {
    Bytes key = key(startMs, DimensionKeys.tenantModelRoute(priced.getCall()));
    PartialSums sums = store.get(key);
    store.put(key, (sums == null ? PartialSums.empty() : sums).add(priced));
  }

  /** Removes and returns the windows ending at or before {@code upToMs}, in order of start and dimension. */
  public List<CostWindow> removeEndingBy(long upToMs) {
    List<KeyValue<Bytes, PartialSums>> done = new ArrayList<>();
    try (KeyValueIterator<Bytes, PartialSums> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, PartialSums> e = it.next();
        if (startOf(e.key) + sizeMs > upToMs) {
          break; // ordered by start: every later entry ends later (one size)
        }
        done.add(e);
      }
    }
    List<CostWindow> out = new ArrayList<>(done.size());
    for (KeyValue<Bytes, PartialSums> e : done) {
      store.delete(e.key);
      long start = startOf(e.key);
      out.add(e.value.toWindow(start, start + sizeMs, dimensionOf(e.key)));
    }
    return out;
  }
}
