package io.spendstream.stream.unpriced;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.stream.AlertIds;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.config.UnpricedConfig;
import io.spendstream.stream.state.avro.UnpricedSeen;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
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
    LlmCall c = record.value().getCall();
    long ts = c.getTimestamp().toEpochMilli();
    long every = config.alertEvery().toMillis();
    long period = ts - Math.floorMod(ts, every);
    UnpricedSeen seen = store.get(record.key());
    if (seen != null && seen.getLastAlertAt() >= period) {
      seen.setCallsSince(seen.getCallsSince() + 1);
      store.put(record.key(), seen);
      return;
    }
    store.put(record.key(), UnpricedSeen.newBuilder().setLastAlertAt(period).setCallsSince(1).build());
    String status = record.value().getPriceStatus().name();
    Map<String, String> evidence = new LinkedHashMap<>();
    evidence.put("provider", c.getProvider());
    evidence.put("price_status", status);
    evidence.put("first_event_id", c.getEventId());
    evidence.put("period_ms", String.valueOf(every));
    if (seen != null) {
      evidence.put("calls_previous_period", String.valueOf(seen.getCallsSince()));
    }
    String why = "NO_PRICE_IN_FORCE".equals(status) ? "has no price in force at " + c.getTimestamp()
        : "is not in the price catalog";
    Alert a = Alert.newBuilder()
        .setAlertId(AlertIds.of("UNPRICED_MODEL", c.getProvider(), c.getModel(), String.valueOf(period)))
        .setType(AlertType.UNPRICED_MODEL)
        .setSeverity(Severity.WARNING)
        .setStatus(AlertStatus.FIRING)
        .setTenantId(c.getTenantId())
        .setDimension("model")
        .setDimensionValue(c.getModel())
        .setRoute(c.getRoute())
        .setModel(c.getModel())
        .setDetectedAt(c.getTimestamp())
        .setWindowStart(Instant.ofEpochMilli(period))
        .setWindowEnd(Instant.ofEpochMilli(period + every))
        .setObservedValue(1)
        .setThreshold(0)
        .setObservedUnit("calls")
        .setCostNanos(0)
        .setMessage("Model " + c.getProvider() + "/" + c.getModel() + " " + why + ": its calls are counted at cost 0"
            + " until a price is added (first seen for tenant " + c.getTenantId() + " on " + c.getRoute() + ")")
        .setEvidence(evidence)
        .build();
    emit(a, metrics.unpricedAlerts);
  }
}
