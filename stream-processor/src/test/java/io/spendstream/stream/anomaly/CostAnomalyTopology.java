package io.spendstream.stream.anomaly;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.Builders;
import io.spendstream.stream.DimensionKeys;
import io.spendstream.stream.PricedSource;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.TooLateCounter;
import io.spendstream.stream.config.AnomalyConfig;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import io.spendstream.stream.state.avro.CostBucket;
import io.spendstream.stream.state.avro.CostHistory;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * llm.calls.priced.v1 -> alerts.v1: COST_ANOMALY per tenant x route. Cost is summed into event-time
 * buckets (repartitioned by tenant x route as small records), each bucket's final sum is released when it
 * closes, and the z-score is taken against the bucket history.
 */
public final class CostAnomalyTopology {
  public static final String REPARTITION = "cost-anomaly-by-route";
  public static final String BUCKET_STORE = "cost-anomaly-buckets";
  public static final String SUPPRESS = "cost-anomaly-bucket-suppress";
  public static final String HISTORY_STORE = "cost-anomaly-history";

  private CostAnomalyTopology() {}

  public static Topology build(ProcessorTopics topics, TopicSerdes serdes, ProcessorConfig config, StoreKind stores,
      ProcessorMetrics metrics) {
    StreamsBuilder b = Builders.newBuilder();
    addTo(b, PricedSource.stream(b, topics, serdes), topics, serdes, config, stores, metrics);
    return b.build();
  }

  public static void addTo(StreamsBuilder b, KStream<String, PricedCall> priced, ProcessorTopics topics,
      TopicSerdes serdes, ProcessorConfig config, StoreKind stores, ProcessorMetrics metrics) {
    AnomalyConfig a = config.anomaly();
    InternalAvroSerde<CostBucket> bucketSerde = InternalAvroSerde.of(CostBucket.class);
    AlertProcessor.addStore(b, stores, HISTORY_STORE, CostHistory.class);
    KStream<String, Alert> alerts = priced.map((k, p) -> KeyValue.pair(DimensionKeys.tenantRoute(p.getCall()), CostBucket.newBuilder()
                .setTenantId(p.getCall().getTenantId()).setRoute(p.getCall().getRoute()).setCostNanos(p.getCostNanos())
                .setCalls(1).build()), Named.as("cost-anomaly-cost"))
        .repartition(Repartitioned.with(Serdes.String(), bucketSerde).withName(REPARTITION))
        .processValues(() -> new TooLateCounter<CostBucket>(java.util.List.of(a.bucket()), a.grace(),
            size -> metrics.anomalyTooLate.increment()), Named.as("cost-anomaly-too-late"))
        .groupByKey(Grouped.with("cost-anomaly-grouped", Serdes.String(), bucketSerde))
        .windowedBy(TimeWindows.ofSizeAndGrace(a.bucket(), a.grace()))
        .reduce(CostAnomalyTopology::add, Named.as("cost-anomaly-bucket-sum"),
            Materialized.<String, CostBucket>as(stores.window(BUCKET_STORE, a.bucket().plus(a.grace()), a.bucket()))
                .withKeySerde(Serdes.String()).withValueSerde(bucketSerde))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName(SUPPRESS))
        .toStream(Named.as("cost-anomaly-closed-buckets"))
        .process(() -> new CostAnomalyProcessor(config, HISTORY_STORE, metrics), Named.as("cost-anomaly-detector"),
            HISTORY_STORE);
    AlertProcessor.toAlerts(alerts, topics, serdes, "cost-anomaly-alerts-sink");
  }

  private static CostBucket add(CostBucket sum, CostBucket v) {
    sum.setCostNanos(Math.addExact(sum.getCostNanos(), v.getCostNanos()));
    sum.setCalls(sum.getCalls() + v.getCalls());
    return sum;
  }
}
