package io.spendstream.stream.windows;

import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.ProcessorMetrics;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Counts calls whose window had already closed when they arrived (window end + grace <= stream time), the
 * same rule by which the window aggregation drops them. They stay in llm.calls.priced.v1 and so in
 * ClickHouse's llm_calls; reconciliation finds them as the difference between llm_calls and the windows.
 */
final class TooLateCounter implements FixedKeyProcessor<String, PricedCall, PricedCall> {
  private final List<Duration> sizes;
  private final long graceMs;
  private final ProcessorMetrics metrics;
  private FixedKeyProcessorContext<String, PricedCall> context;

  TooLateCounter(List<Duration> sizes, Duration grace, ProcessorMetrics metrics) {
    this.sizes = sizes;
    this.graceMs = grace.toMillis();
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, PricedCall> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, PricedCall> record) {
    long streamTime = context.currentStreamTimeMs();
    long ts = record.timestamp();
    for (Duration size : sizes) {
      long sizeMs = size.toMillis();
      long end = ts - Math.floorMod(ts, sizeMs) + sizeMs;
      if (end + graceMs <= streamTime) {
        metrics.tooLate(size).increment();
      }
    }
    context.forward(record);
  }
}
