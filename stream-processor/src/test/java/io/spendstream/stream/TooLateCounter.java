package io.spendstream.stream;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Counts records whose window had already closed when they arrived (window end + grace <= stream time),
 * the same rule by which a windowed aggregation drops them. For the cost windows such calls stay in
 * llm.calls.priced.v1 and so in ClickHouse's llm_calls; reconciliation finds them as the difference
 * between llm_calls and the windows.
 */
public final class TooLateCounter<V> implements FixedKeyProcessor<String, V, V> {
  private final List<Duration> sizes;
  private final long graceMs;
  private final Consumer<Duration> onTooLate;
  private FixedKeyProcessorContext<String, V> context;

  public TooLateCounter(List<Duration> sizes, Duration grace, Consumer<Duration> onTooLate) {
    this.sizes = sizes;
    this.graceMs = grace.toMillis();
    this.onTooLate = onTooLate;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, V> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, V> record) {
    long streamTime = context.currentStreamTimeMs();
    long ts = record.timestamp();
    for (Duration size : sizes) {
      long sizeMs = size.toMillis();
      long end = ts - Math.floorMod(ts, sizeMs) + sizeMs;
      if (end + graceMs <= streamTime) {
        onTooLate.accept(size);
      }
    }
    context.forward(record);
  }
}
