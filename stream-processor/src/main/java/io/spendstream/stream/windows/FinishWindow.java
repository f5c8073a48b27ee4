package io.spendstream.stream.windows;

import io.spendstream.schemas.avro.CostWindow;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Stamps a closed window with its bounds and its shard (the partition, i.e. the task, it was counted in). */
final class FinishWindow implements FixedKeyProcessor<Windowed<String>, CostWindow, CostWindow> {
  private FixedKeyProcessorContext<Windowed<String>, CostWindow> context;

  @Override
  public void init(FixedKeyProcessorContext<Windowed<String>, CostWindow> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<Windowed<String>, CostWindow> record) {
    CostWindow w = CostWindows.finish(record.value(), record.key().window().start(), record.key().window().end());
    w.setShard(context.taskId().partition());
    context.forward(record.withValue(w));
  }
}
