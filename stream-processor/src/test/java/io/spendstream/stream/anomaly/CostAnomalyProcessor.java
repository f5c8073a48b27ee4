package io.spendstream.stream.anomaly;

import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.state.avro.CostBucket;
import io.spendstream.stream.state.avro.CostHistory;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Record;

/** Feeds each closed bucket of a tenant x route to {@link ZScoreDetector} and keeps its history. */
final class CostAnomalyProcessor extends AlertProcessor<Windowed<String>, CostBucket, CostHistory> {
  private final ProcessorConfig config;

  CostAnomalyProcessor(ProcessorConfig config, String storeName, ProcessorMetrics metrics) {
    super(storeName, metrics);
    this.config = config;
  }

  @Override
  public void process(Record<Windowed<String>, CostBucket> record) {
    CostBucket b = record.value();
    String key = record.key().key();
    ZScoreDetector.Result r = ZScoreDetector.onBucket(store.get(key), b.getTenantId(), b.getRoute(),
        record.key().window().start(), b.getCostNanos(), b.getCalls(), config.anomaly(b.getTenantId()));
    store.put(key, r.history());
    if (r.alert() != null) {
      emit(r.alert(), metrics.anomalyAlerts);
    }
  }
}
