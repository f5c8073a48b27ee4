package io.spendstream.stream.pricing;

import io.spendstream.schemas.DeadLetterHeaders;
import io.spendstream.stream.DimensionKeys;
import io.spendstream.stream.ProcessorMetrics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pricing alone ({@link PricingTopology}): {@link CallIntake} and nothing after it, the benchmark's ceiling for the
 * one-pass processor.
 */
final class DecodeDedupePrice implements Processor<byte[], byte[], SourceKey, Outcome> {
  private static final Logger LOG = LoggerFactory.getLogger(DecodeDedupePrice.class);

  private final CallIntake intake;
  private final String storeName;
  private final ProcessorMetrics metrics;
  private ProcessorContext<SourceKey, Outcome> context;

  DecodeDedupePrice(CallIntake intake, String storeName, ProcessorMetrics metrics) {
    this.intake = intake;
    this.storeName = storeName;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<SourceKey, Outcome> context) {
    this.context = context;
    intake.init(context.getStateStore(storeName));
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.consumed.increment();
    String position = context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()).orElse("?");
    switch (intake.decode(context.recordMetadata().map(RecordMetadata::topic).orElse(null), record.value())) {
      case CallIntake.Decoded.Refused r -> deadLetter(record, r.reason(), position);
      case CallIntake.Decoded.Call c -> {
        switch (intake.claimAndPrice(c.call(), position)) {
          case CallIntake.Claim.Duplicate d -> { }
          case CallIntake.Claim.Refused r -> deadLetter(record, r.reason(), position);
          case CallIntake.Claim.Priced p -> {
            SourceKey key = new SourceKey(DimensionKeys.tenantModelRoute(c.call()).getBytes(StandardCharsets.UTF_8),
                partition());
            context.forward(new Record<SourceKey, Outcome>(key, new Outcome.Priced(p.call()),
                c.call().getTimestamp().toEpochMilli(), record.headers()));
          }
        }
      }
    }
  }

  private int partition() {
    return context.recordMetadata().map(RecordMetadata::partition).orElse(context.taskId().partition());
  }

  private void deadLetter(Record<byte[], byte[]> record, String reason, String position) {
    metrics.deadLettered.increment();
    LOG.warn("event=dead_letter stage=stream-processor source={} reason=\"{}\"", position, reason);
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    DeadLetterHeaders.add(headers, reason, position, "stream-processor");
    context.forward(new Record<SourceKey, Outcome>(new SourceKey(record.key(), partition()),
        new Outcome.DeadLetter(DeadLetterHeaders.cut(record.value(), headers), reason), record.timestamp(), headers));
  }
}
