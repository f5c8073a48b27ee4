package io.spendstream.stream.unpriced;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.config.UnpricedConfig;
import io.spendstream.stream.state.avro.UnpricedSeen;
import org.apache.kafka.streams.processor.api.Record;

/**
 * One UNPRICED_MODEL alert per provider x model per period of event time (aligned, default each hour):
 * the first unpriced call of the period raises it.
 */
final class UnpricedModelProcessor extends AlertProcessor<String, PricedCall, UnpricedSeen> {
  private final UnpricedConfig config;

  UnpricedModelProcessor(UnpricedConfig config, String storeName, ProcessorMetrics metrics) {
    super(storeName, metrics);
    this.config = config;
  }

  @Override
  public void process(Record<String, PricedCall> record) {
    Alert a = UnpricedModels.onCall(store, record.value(), config); // keyed as the record is: provider|model
    if (a != null) {
      emit(a, metrics.unpricedAlerts);
    }
  }
}
