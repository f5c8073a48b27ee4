package io.spendstream.stream.retrystorm;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.config.RetryStormConfig;
import io.spendstream.stream.state.avro.StormCall;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Runs {@link RetryStormDetector} per tenant x prompt hash (the record key). Calls live in a window store
 * by event time, so they expire with its segments: nothing is scanned or deleted per pair, which matters
 * because almost every prompt hash is seen once. The per-pair cooldown (the base class's key-value store)
 * only holds pairs that alerted and is swept every 10 minutes of stream time.
 */
final class RetryStormProcessor extends AlertProcessor<String, StormCall, Long> {
  private final ProcessorConfig config;
  private final String callStoreName;
  private final long latenessMs;
  private WindowStore<String, RecentCall> calls;
  private ProcessorContext<String, Alert> context;

  RetryStormProcessor(ProcessorConfig config, String callStoreName, String cooldownStoreName, Duration lateness,
      ProcessorMetrics metrics) {
    super(cooldownStoreName, metrics);
    this.config = config;
    this.callStoreName = callStoreName;
    this.latenessMs = lateness.toMillis();
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    super.init(context);
    this.context = context;
    this.calls = context.getStateStore(callStoreName);
    context.schedule(Duration.ofMinutes(10), PunctuationType.STREAM_TIME, this::forgetCooledDown);
  }

  @Override
  public void process(Record<String, StormCall> record) {
    StormCall call = record.value();
    long ts = call.getTimestamp();
    if (ts < context.currentStreamTimeMs() - latenessMs) {
      // its neighbours may have expired from the store: judging it would be guesswork
      metrics.stormTooLate.increment();
      return;
    }
    RetryStormConfig c = config.retryStorm(call.getTenantId());
    int n = c.thresholdCalls();
    long window = c.window().toMillis();
    String key = record.key();
    List<RecentCall> around = new ArrayList<>(2 * n + 1);
    try (WindowStoreIterator<RecentCall> before = calls.backwardFetch(key, Math.max(0, ts - window + 1), ts)) {
      while (before.hasNext() && around.size() < n) {
        around.add(before.next().value);
      }
    }
    Collections.reverse(around);
    int at = around.size();
    RecentCall self = RecentCall.of(call);
    around.add(self);
    if (window > 1) { // a 1 ms window has no later neighbours
      try (WindowStoreIterator<RecentCall> after = calls.fetch(key, ts + 1, ts + window - 1)) {
        for (int i = 0; i < n && after.hasNext(); i++) {
          around.add(after.next().value);
        }
      }
    }
    calls.put(key, self, ts);
    Alert alert = RetryStormDetector.onCall(around, at, call, store.get(key), c);
    if (alert != null) {
      store.put(key, alert.getDetectedAt().toEpochMilli());
      emit(alert, metrics.stormAlerts);
    }
  }

  private void forgetCooledDown(long streamTime) {
    List<String> done = new ArrayList<>();
    try (KeyValueIterator<String, Long> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> e = it.next();
        String tenant = e.key.substring(0, Math.max(0, e.key.indexOf('|')));
        if (e.value + config.retryStorm(tenant).cooldown().toMillis() < streamTime) {
          done.add(e.key);
        }
      }
    }
    done.forEach(store::delete);
  }
}
