package io.spendstream.stream;

import io.spendstream.schemas.AlertGroups;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.kafka.StoreKind;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of the detectors: a key-value store of per-key state (internal Avro) and alerts forwarded with key
 * = the alert's group ({@link AlertGroups}: all alerts of one group on one partition, so one alerting instance
 * owns its cooldown) and timestamp = detection event time, each logged once as a structured line.
 */
public abstract class AlertProcessor<K, V, S extends SpecificRecord> implements Processor<K, V, String, Alert> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertProcessor.class);
  private final String storeName;
  protected final ProcessorMetrics metrics;
  protected KeyValueStore<String, S> store;
  private ProcessorContext<String, Alert> context;

  protected AlertProcessor(String storeName, ProcessorMetrics metrics) {
    this.storeName = storeName;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Alert> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
  }

  protected void emit(Alert a, LongAdder counter) {
    emit(context, a, counter);
  }

  /** Counts, logs and forwards one alert; for detectors whose state is not a key-value store. */
  public static void emit(ProcessorContext<String, ? super Alert> context, Alert a, LongAdder counter) {
    log(a, counter);
    context.forward(new Record<>(AlertGroups.keyOf(a), a, a.getDetectedAt().toEpochMilli()));
  }

  /** Counts and logs one alert as a structured line. */
  public static void log(Alert a, LongAdder counter) {
    counter.increment();
    LOG.info("event=alert type={} severity={} tenant={} {}={} route={} observed={} threshold={} unit={} cost_nanos={} alert_id={}",
        a.getType(), a.getSeverity(), a.getTenantId(), a.getDimension(), a.getDimensionValue(), a.getRoute(),
        a.getObservedValue(), a.getThreshold(), a.getObservedUnit(), a.getCostNanos(), a.getAlertId());
  }

  /** Registers a detector's state store (String keys, internal Avro values). */
  public static <S extends SpecificRecord> void addStore(StreamsBuilder b, StoreKind stores, String name, Class<S> type) {
    b.addStateStore(Stores.keyValueStoreBuilder(stores.keyValue(name), Serdes.String(), InternalAvroSerde.of(type)));
  }

  /** Writes a detector's alerts to the alert topic. */
  public static void toAlerts(KStream<String, Alert> alerts, ProcessorTopics topics,
      io.spendstream.stream.kafka.TopicSerdes serdes, String sinkName) {
    alerts.to(topics.alerts(), Produced.with(Serdes.String(), serdes.alerts()).withName(sinkName));
  }
}
