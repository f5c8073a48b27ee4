package io.spendstream.stream.windows;

import io.spendstream.schemas.avro.CostWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Forwards each final base window (e.g. 1 minute) and rolls it up into the larger windows (e.g. 1 hour), so
 * a larger window is exactly the sum of its base windows and costs nothing per call.
 *
 * <p>When is a larger window final? The suppression releases base windows in order of their end, and a
 * window ending at E is released only once every window ending at or before E is closed. So once a base
 * window ending at or after a larger window's end has come through, every base window inside it has too.
 * (Task stream time would not do: the aggregation's cache can hold updates back from the suppression.)
 * In practice an hour is released with the first minute window after it, one minute plus the grace
 * after its end when traffic flows.
 */
final class WindowRollup implements Processor<Windowed<String>, CostWindow, String, CostWindow> {
  private final List<Duration> larger;
  private final String storeName;
  private long releasedUpTo = Long.MIN_VALUE;
  private ProcessorContext<String, CostWindow> context;
  private KeyValueStore<String, CostWindow> rollups;

  WindowRollup(List<Duration> larger, String storeName) {
    this.larger = larger;
    this.storeName = storeName;
  }

  @Override
  public void init(ProcessorContext<String, CostWindow> context) {
    this.context = context;
    this.rollups = context.getStateStore(storeName);
  }

  /** Store key: size, start and dimension, so one store serves every larger size. */
  static String rollupKey(long sizeMs, long startMs, String dimension) {
    return sizeMs + "|" + startMs + "|" + dimension;
  }

  @Override
  public void process(Record<Windowed<String>, CostWindow> record) {
    CostWindow w = CostWindows.finish(record.value(), record.key().window().start(), record.key().window().end());
    w.setShard(context.taskId().partition());
    String dimension = record.key().key();
    context.forward(new Record<>(dimension, w, record.timestamp()));
    List<String> overflowed = new ArrayList<>();
    for (Duration size : larger) {
      long sizeMs = size.toMillis();
      long start = w.getWindowStart().toEpochMilli() - Math.floorMod(w.getWindowStart().toEpochMilli(), sizeMs);
      String key = rollupKey(sizeMs, start, dimension);
      CostWindow sum = rollups.get(key);
      if (sum == null) {
        sum = CostWindows.finish(CostWindows.empty(), start, start + sizeMs);
        sum.setShard(w.getShard());
      }
      try {
        rollups.put(key, CostWindows.merge(sum, w));
      } catch (ArithmeticException e) { // that larger window keeps its sum so far; the others still get this one
        overflowed.add(size + " window " + key);
      }
    }
    long watermark = w.getWindowEnd().toEpochMilli();
    if (!larger.isEmpty() && watermark > releasedUpTo) {
      releaseUpTo(watermark);
      releasedUpTo = watermark;
    }
    if (!overflowed.isEmpty()) { // to the processing exception handler: dead-lettered with this reason, processing goes on
      throw new ArithmeticException("sum would overflow a long adding " + w.getWindowSizeMs() + " ms window "
          + dimension + "@" + w.getWindowStart() + " to " + overflowed + " (it is missing from them)");
    }
  }

  private void releaseUpTo(long watermark) {
    List<KeyValue<String, CostWindow>> closed = new ArrayList<>();
    try (KeyValueIterator<String, CostWindow> it = rollups.all()) {
      while (it.hasNext()) {
        KeyValue<String, CostWindow> e = it.next();
        if (e.value.getWindowEnd().toEpochMilli() <= watermark) {
          closed.add(e);
        }
      }
    }
    closed.sort(java.util.Comparator.comparing(e -> e.key)); // deterministic order for replay
    for (KeyValue<String, CostWindow> e : closed) {
      rollups.delete(e.key);
      String dimension = e.key.substring(e.key.indexOf('|', e.key.indexOf('|') + 1) + 1);
      context.forward(new Record<>(dimension, e.value, e.value.getWindowEnd().toEpochMilli() - 1));
    }
  }
}
