package io.spendstream.stream.unpriced;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.AlertIds;
import io.spendstream.stream.config.UnpricedConfig;
import io.spendstream.stream.state.avro.UnpricedSeen;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * UNPRICED_MODEL: the first unpriced call of a provider x model in a period of event time (aligned, default each
 * hour) raises the alert, in the merge task that owns the model (unpriced calls are keyed by provider x model).
 */
public final class UnpricedModels {
  private UnpricedModels() {}

  public static String key(LlmCall c) {
    return c.getProvider() + "|" + c.getModel();
  }

  /** The alert this unpriced call raises, or null when its model was already announced in this period. */
  public static Alert onCall(KeyValueStore<String, UnpricedSeen> store, PricedCall priced, UnpricedConfig config) {
    LlmCall c = priced.getCall();
    String key = key(c);
    long ts = c.getTimestamp().toEpochMilli();
    long every = config.alertEvery().toMillis();
    long period = ts - Math.floorMod(ts, every);
    UnpricedSeen seen = store.get(key);
    if (seen != null && seen.getLastAlertAt() >= period) {
      seen.setCallsSince(seen.getCallsSince() + 1);
      store.put(key, seen);
      return null;
    }
    store.put(key, UnpricedSeen.newBuilder().setLastAlertAt(period).setCallsSince(1).build());
    String status = priced.getPriceStatus().name();
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
    return Alert.newBuilder()
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
  }
}
