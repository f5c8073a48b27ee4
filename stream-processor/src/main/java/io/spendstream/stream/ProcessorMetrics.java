package io.spendstream.stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.spendstream.schemas.avro.AlertType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the topologies count, readable by replay's summary and exported to Prometheus by the service.
 * Counters are per process: after a restart they start again at 0 (Prometheus handles that).
 */
public final class ProcessorMetrics {
  public final LongAdder consumed = new LongAdder();
  public final LongAdder priced = new LongAdder();
  public final LongAdder duplicates = new LongAdder();
  public final LongAdder deadLettered = new LongAdder();
  public final LongAdder unpriced = new LongAdder();
  public final LongAdder stormAlerts = new LongAdder();
  public final LongAdder anomalyAlerts = new LongAdder();
  public final LongAdder unpricedAlerts = new LongAdder();
  public final LongAdder anomalyTooLate = new LongAdder();
  public final LongAdder rerouted = new LongAdder();
  public final LongAdder ticks = new LongAdder();
  public final LongAdder mergeLatePartials = new LongAdder();
  /** Every alert the catalogue writes (FIRING and RESOLVED): the structured log line's counter. */
  public final LongAdder catalogueAlerts = new LongAdder();
  public final LongAdder catalogueResolved = new LongAdder();
  public final LongAdder catalogueSuppressed = new LongAdder();
  private final Map<Duration, LongAdder> tooLateForWindow = new ConcurrentHashMap<>();
  private final Map<AlertType, LongAdder> catalogueFired = new ConcurrentHashMap<>();

  /** Alerts of the catalogue raised (FIRING), by type. */
  public LongAdder catalogueFired(AlertType type) {
    return catalogueFired.computeIfAbsent(type, k -> new LongAdder());
  }

  /** Events that arrived after their window (of this size) had closed: in llm_calls, not in the window. */
  public LongAdder tooLate(Duration windowSize) {
    return tooLateForWindow.computeIfAbsent(windowSize, k -> new LongAdder());
  }

  public void bindTo(MeterRegistry registry, Iterable<Duration> windowSizes) {
    gauge(registry, "spendstream_processor_consumed", consumed, "Records read from the calls topic");
    gauge(registry, "spendstream_processor_priced", priced, "Calls priced and written to the priced topic");
    gauge(registry, "spendstream_processor_duplicates", duplicates, "Repeated event_ids dropped");
    gauge(registry, "spendstream_processor_dead_lettered", deadLettered, "Unreadable or invalid records sent to the DLQ");
    gauge(registry, "spendstream_processor_unpriced", unpriced, "Calls without a price (cost 0)");
    gauge(registry, "spendstream_processor_alerts_retry_storm", stormAlerts, "RETRY_STORM alerts raised");
    gauge(registry, "spendstream_processor_alerts_cost_anomaly", anomalyAlerts, "COST_ANOMALY alerts raised");
    gauge(registry, "spendstream_processor_alerts_unpriced_model", unpricedAlerts, "UNPRICED_MODEL alerts raised");
    gauge(registry, "spendstream_processor_anomaly_too_late", anomalyTooLate, "Calls after their anomaly bucket closed");
    gauge(registry, "spendstream_processor_rerouted", rerouted,
        "Calls that came in under another key than tenant + prompt hash and were moved to their partition");
    gauge(registry, "spendstream_processor_ticks", ticks, "Ticks read (they move an idle partition's event time)");
    gauge(registry, "spendstream_processor_merge_late_partials", mergeLatePartials,
        "Partials that reached the merge stage after their window was final (written as their own rows)");
    gauge(registry, "spendstream_processor_alerts_resolved", catalogueResolved,
        "Alert conditions of the catalogue that cleared (RESOLVED written)");
    gauge(registry, "spendstream_processor_alerts_suppressed", catalogueSuppressed,
        "Alert conditions that held again within their cooldown (not written)");
    for (AlertType type : AlertType.values()) {
      if (type.ordinal() > AlertType.OTHER.ordinal()) {
        registry.more().counter("spendstream_processor_alerts_fired", java.util.List.of(
            io.micrometer.core.instrument.Tag.of("type", type.name())), catalogueFired(type), LongAdder::doubleValue);
      }
    }
    for (Duration size : windowSizes) {
      registry.more().counter("spendstream_processor_window_too_late", java.util.List.of(
          io.micrometer.core.instrument.Tag.of("window", Labels.of(size))), tooLate(size), LongAdder::doubleValue);
    }
  }

  private static void gauge(MeterRegistry registry, String name, LongAdder value, String help) {
    io.micrometer.core.instrument.FunctionCounter.builder(name, value, LongAdder::doubleValue).description(help)
        .register(registry);
  }
}
