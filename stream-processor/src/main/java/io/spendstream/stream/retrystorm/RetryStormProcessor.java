package io.spendstream.stream.retrystorm;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.config.RetryStormConfig;
import io.spendstream.stream.state.avro.StormCall;
import io.spendstream.stream.state.avro.StormState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Runs {@link RetryStormDetector} per tenant x prompt hash and forgets pairs that have been quiet for
 * longer than both their window and their cooldown (checked every minute of stream time).
 */
final class RetryStormProcessor extends AlertProcessor<String, StormCall, StormState> {
  private final ProcessorConfig config;

  RetryStormProcessor(ProcessorConfig config, String storeName, ProcessorMetrics metrics) {
    super(storeName, metrics);
    this.config = config;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    super.init(context);
    // a full scan, so not too often: a pair is forgotten between 1x and 2x its window/cooldown after its last call
    context.schedule(Duration.ofMinutes(10), PunctuationType.STREAM_TIME, this::forgetQuiet);
  }

  @Override
  public void process(Record<String, StormCall> record) {
    StormCall call = record.value();
    RetryStormConfig c = config.retryStorm(call.getTenantId());
    RetryStormDetector.Result r = RetryStormDetector.onCall(store.get(record.key()), call, c);
    store.put(record.key(), r.state());
    if (r.alert() != null) {
      emit(r.alert(), metrics.stormAlerts);
    }
  }

  private void forgetQuiet(long streamTime) {
    List<String> quiet = new ArrayList<>();
    try (KeyValueIterator<String, StormState> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, StormState> e = it.next();
        StormState s = e.value;
        String tenant = s.getRecent().isEmpty() ? "" : s.getRecent().getFirst().getTenantId();
        RetryStormConfig c = config.retryStorm(tenant);
        long keepFor = Math.max(c.window().toMillis(), c.cooldown().toMillis());
        if (s.getLastSeen() + keepFor < streamTime) {
          quiet.add(e.key);
        }
      }
    }
    quiet.forEach(store::delete);
  }
}
