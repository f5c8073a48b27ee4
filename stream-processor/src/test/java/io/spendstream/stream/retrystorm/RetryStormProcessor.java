package io.spendstream.stream.retrystorm;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.state.avro.StormCall;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Runs {@link RetryStormDetector} per tenant x prompt hash (the record key). Each pair's state lives in a
 * window store under the start of the current stream-time bucket (one bucket = the longest window or cooldown
 * of any tenant plus the windows' grace): a call reads it there, or from the bucket before, and writes it back in the current one.
 * A pair quiet for two buckets is gone with the store's oldest segment: nothing is scanned or deleted per pair,
 * which matters because almost every prompt hash is seen once.
 */
final class RetryStormProcessor implements Processor<String, StormCall, String, Alert> {
  private final ProcessorConfig config;
  private final String storeName;
  private final long bucketMs;
  private final ProcessorMetrics metrics;
  private ProcessorContext<String, Alert> context;
  private WindowStore<String, StormState> states;

  RetryStormProcessor(ProcessorConfig config, String storeName, Duration bucket, ProcessorMetrics metrics) {
    this.config = config;
    this.storeName = storeName;
    this.bucketMs = bucket.toMillis();
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.states = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<String, StormCall> record) {
    StormCall call = record.value();
    // Late calls are judged too: after an outage the repartition topic interleaves partitions that catch up at
    // different speeds, so stream time can run far ahead of a storm that is still in the backlog.
    long now = context.currentStreamTimeMs();
    long bucket = now - Math.floorMod(now, bucketMs);
    String key = record.key();
    StormState previous = states.fetch(key, bucket);
    if (previous == null) {
      previous = states.fetch(key, bucket - bucketMs);
    }
    RetryStormDetector.Result r = RetryStormDetector.onCall(previous, call, config.retryStorm(call.getTenantId()));
    states.put(key, r.state(), bucket);
    if (r.alert() != null) {
      AlertProcessor.emit(context, r.alert(), metrics.stormAlerts);
    }
  }
}
