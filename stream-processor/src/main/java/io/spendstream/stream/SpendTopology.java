package io.spendstream.stream;

import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.AlertGroups;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.stream.catalogue.AlertCatalogue;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import io.spendstream.stream.merge.MinuteMerge;
import io.spendstream.stream.merge.ShardReport;
import io.spendstream.stream.merge.ShardReportSerde;
import io.spendstream.stream.pricing.CallIntake;
import io.spendstream.stream.pricing.PricingTopology;
import io.spendstream.stream.pricing.SourceKey;
import io.spendstream.stream.retrystorm.RetryStormDetector;
import io.spendstream.stream.retrystorm.StormStateSerde;
import io.spendstream.stream.shard.PartialSums;
import io.spendstream.stream.shard.ShardOutput;
import io.spendstream.stream.shard.ShardPass;
import io.spendstream.stream.shard.TaskBatchSerde;
import io.spendstream.stream.shard.TaskPartialSerde;
import io.spendstream.stream.shard.TaskRunSerde;
import io.spendstream.stream.state.avro.CostBucket;
import io.spendstream.stream.state.avro.CostHistory;
import io.spendstream.stream.state.avro.RouteSeries;
import io.spendstream.stream.state.avro.TenantSpend;
import io.spendstream.stream.state.avro.UnpricedSeen;
import io.spendstream.stream.windows.CostWindowStateSerde;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The whole processor, two sub-topologies: the one pass per call on its input partition ({@link ShardPass}: priced
 * calls, dead letters, retry storms, base-window partials), and the merge stage per tenant ({@link MinuteMerge}:
 * final windows of every size, cost anomalies, unpriced models). Per call that is one read and about three
 * writes (priced call, dedupe claim, storm state); partials, watermarks and windows are per window, not per call.
 * The same build serves production, tests and replay.
 */
public final class SpendTopology {
  public static final String SOURCE = "calls-source";
  public static final String SHARD_PASS = "shard-pass";
  public static final String REPORTS = "shard-reports";
  public static final String MERGE = "minute-merge";
  public static final ShardPass.Stores SHARD_STORES = new ShardPass.Stores(PricingTopology.DEDUPE_STORE, "shard-clock",
      "shard-window-partials", "shard-retry-storm-state", "shard-task-partials");
  public static final MinuteMerge.Stores MERGE_STORES = new MinuteMerge.Stores("merge-watermarks", "merge-windows",
      "merge-rollups", "merge-anomaly-buckets", "merge-anomaly-history", "merge-unpriced-models-seen",
      new AlertCatalogue.Stores("catalogue-route-series", "catalogue-tenant-spend", "catalogue-task-partials",
          "catalogue-task-runs", "catalogue-task-roots"));

  private SpendTopology() {}

  /**
   * @param shards the partition count of llm.calls.v1: the merge stage finalises a window only when every one of
   *     them has passed it
   */
  public static Topology build(ProcessorTopics topics, TopicSerdes serdes, Pricer pricer, ProcessorConfig config,
      StoreKind stores, ProcessorMetrics metrics, int shards) {
    StreamsBuilder b = Builders.newBuilder();
    ShardPass.Stores s = SHARD_STORES;
    shardStores(config, stores).forEach(b::addStateStore);

    KStream<Void, ShardOutput> out = b.stream(List.of(topics.calls(), topics.rerouted()),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
        .process(() -> new ShardPass(new CallIntake(serdes.calls().deserializer(), pricer, config.dedupe().horizon(), metrics),
                config, topics.rerouted(), s, metrics), Named.as(SHARD_PASS),
            s.claims(), s.clock(), s.partials(), s.storms(), s.tasks());
    out.split(Named.as("shard-output-"))
        .branch((k, v) -> v instanceof ShardOutput.Priced, Branched.withConsumer(p -> p
            .map((k, v) -> KeyValue.pair(((ShardOutput.Priced) v).key(), ((ShardOutput.Priced) v).call()), Named.as("priced-call"))
            .to(topics.priced(), Produced.with(SourceKey.SERDE, serdes.priced())
                .withStreamPartitioner(SourceKey.samePartition()).withName("priced-sink")), "priced"))
        .branch((k, v) -> v instanceof ShardOutput.Report, Branched.withConsumer(r -> merge(b, r
            .map((k, v) -> KeyValue.pair(((ShardOutput.Report) v).key(), ((ShardOutput.Report) v).report()),
                Named.as("shard-report"))
            .repartition(Repartitioned.with(Serdes.String(), new ShardReportSerde())
                .withStreamPartitioner(ShardReportSerde.partitioner()).withName(REPORTS)),
            topics, serdes, config, stores, metrics, shards), "reports"))
        .branch((k, v) -> v instanceof ShardOutput.Raised, Branched.withConsumer(a -> a
            .map((k, v) -> KeyValue.pair(AlertGroups.keyOf(((ShardOutput.Raised) v).alert()), ((ShardOutput.Raised) v).alert()),
                Named.as("shard-alert"))
            .to(topics.alerts(), Produced.with(Serdes.String(), serdes.alerts()).withName("shard-alerts-sink")), "alerts"))
        .branch((k, v) -> v instanceof ShardOutput.Reroute, Branched.withConsumer(r -> r
            .map((k, v) -> KeyValue.pair(((ShardOutput.Reroute) v).key(), ((ShardOutput.Reroute) v).value()), Named.as("reroute"))
            .to(topics.rerouted(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("reroute-sink")), "reroute"))
        .defaultBranch(Branched.withConsumer(d -> d
            .map((k, v) -> KeyValue.pair(((ShardOutput.DeadLetter) v).key(), ((ShardOutput.DeadLetter) v).value()),
                Named.as("dead-letter"))
            .to(topics.callsDlq(), Produced.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("calls-dlq-sink")),
            "dead-letters"));
    return b.build();
  }

  /** The stores of {@link ShardPass}, named by {@link #SHARD_STORES}. */
  public static List<StoreBuilder<?>> shardStores(ProcessorConfig config, StoreKind stores) {
    ShardPass.Stores s = SHARD_STORES;
    return List.of(
        PricingTopology.claimsStore(config.dedupe(), stores),
        Stores.keyValueStoreBuilder(stores.keyValue(s.clock()), Serdes.String(), Serdes.Long()).withCachingEnabled(),
        Stores.keyValueStoreBuilder(stores.keyValue(s.partials()), Serdes.Bytes(), new PartialSums.StateSerde())
            .withCachingEnabled(),
        Stores.windowStoreBuilder(stores.window(s.storms(), stormRetention(config), stormBucket(config)), Serdes.String(),
            new StormStateSerde()),
        Stores.keyValueStoreBuilder(stores.keyValue(s.tasks()), Serdes.Bytes(), new TaskPartialSerde())
            .withCachingEnabled());
  }

  public static Duration stormBucket(ProcessorConfig config) {
    return RetryStormDetector.stateBucket(config, config.windows().grace());
  }

  /** Two buckets: the current one and the one before it, where a pair's state may still be. */
  public static Duration stormRetention(ProcessorConfig config) {
    return stormBucket(config).multipliedBy(2);
  }

  /** The stores of {@link MinuteMerge}, named by {@link #MERGE_STORES}. */
  public static List<StoreBuilder<?>> mergeStores(StoreKind stores) {
    MinuteMerge.Stores m = MERGE_STORES;
    return List.of(
        Stores.keyValueStoreBuilder(stores.keyValue(m.watermarks()), Serdes.String(), Serdes.Long()),
        Stores.keyValueStoreBuilder(stores.keyValue(m.windows()), Serdes.Bytes(), new CostWindowStateSerde())
            .withCachingEnabled(),
        Stores.keyValueStoreBuilder(stores.keyValue(m.rollups()), Serdes.String(), new CostWindowStateSerde())
            .withCachingEnabled(),
        Stores.keyValueStoreBuilder(stores.keyValue(m.buckets()), Serdes.String(), InternalAvroSerde.of(CostBucket.class)),
        Stores.keyValueStoreBuilder(stores.keyValue(m.history()), Serdes.String(), InternalAvroSerde.of(CostHistory.class)),
        Stores.keyValueStoreBuilder(stores.keyValue(m.unpriced()), Serdes.String(), InternalAvroSerde.of(UnpricedSeen.class)),
        Stores.keyValueStoreBuilder(stores.keyValue(m.catalogue().routes()), Serdes.String(),
            InternalAvroSerde.of(RouteSeries.class)),
        Stores.keyValueStoreBuilder(stores.keyValue(m.catalogue().tenants()), Serdes.String(),
            InternalAvroSerde.of(TenantSpend.class)),
        Stores.keyValueStoreBuilder(stores.keyValue(m.catalogue().taskPartials()), Serdes.Bytes(), new TaskBatchSerde()),
        Stores.keyValueStoreBuilder(stores.keyValue(m.catalogue().taskRuns()), Serdes.String(), new TaskRunSerde()),
        Stores.keyValueStoreBuilder(stores.keyValue(m.catalogue().taskRoots()), Serdes.String(), Serdes.String()));
  }

  /** The merge stage: final windows to cost.windows.v1, tenant-level alerts to alerts.v1. */
  private static void merge(StreamsBuilder b, KStream<String, ShardReport> reports, ProcessorTopics topics,
      TopicSerdes serdes, ProcessorConfig config, StoreKind stores, ProcessorMetrics metrics, int shards) {
    MinuteMerge.Stores m = MERGE_STORES;
    mergeStores(stores).forEach(b::addStateStore);
    reports.process(() -> new MinuteMerge(config, shards, m, metrics), Named.as(MERGE), m.watermarks(), m.windows(),
            m.rollups(), m.buckets(), m.history(), m.unpriced(), m.catalogue().routes(), m.catalogue().tenants(),
            m.catalogue().taskPartials(), m.catalogue().taskRuns(), m.catalogue().taskRoots())
        .split(Named.as("merge-output-"))
        .branch((k, v) -> v instanceof CostWindow, Branched.withConsumer(w -> w
            .mapValues(v -> (CostWindow) v, Named.as("merged-window"))
            .to(topics.windows(), Produced.with(Serdes.String(), serdes.windows()).withName("cost-windows-sink")), "windows"))
        .defaultBranch(Branched.withConsumer(a -> a
            .mapValues(v -> (Alert) v, Named.as("merged-alert"))
            .to(topics.alerts(), Produced.with(Serdes.String(), serdes.alerts()).withName("merged-alerts-sink")), "alerts"));
  }
}
