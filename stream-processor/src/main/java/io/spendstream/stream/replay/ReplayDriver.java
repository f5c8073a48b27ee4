package io.spendstream.stream.replay;

import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.SpendTopology;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import io.spendstream.stream.merge.MinuteMerge;
import io.spendstream.stream.merge.ShardReport;
import io.spendstream.stream.pricing.CallIntake;
import io.spendstream.stream.pricing.PricingTopology;
import io.spendstream.stream.shard.ShardOutput;
import io.spendstream.stream.shard.ShardPass;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's two stages ({@link ShardPass}, {@link MinuteMerge}) with the topology's own stores (in memory),
 * driven directly: one shard, each stage's output handed to the next in order, as the topology connects them.
 * The topology test driver commits, checkpoints and re-reads its outputs after every record, which held replay to
 * about 6,000 calls/s; this path does what one partition of the application does and nothing else.
 * {@code ReplayTest} checks that it writes exactly what the topology writes for the same input.
 */
final class ReplayDriver {
  private static final Logger LOG = LoggerFactory.getLogger(ReplayDriver.class);

  /** Where the outputs go, in the order the stages produce them. */
  interface Sink {
    void priced(PricedCall p);

    void window(CostWindow w);

    void alert(Alert a);
  }

  private final ProcessorTopics topics;
  private final ProcessorMetrics metrics;
  private final Sink sink;
  private final ShardPass shard;
  private final MinuteMerge merge;
  private final MockProcessorContext<Void, ShardOutput> shardContext;
  private final MockProcessorContext<String, Object> mergeContext;
  private long offset;

  ReplayDriver(ProcessorTopics topics, TopicSerdes serdes, Pricer pricer, ProcessorConfig config, ProcessorMetrics metrics,
      Sink sink) {
    this.topics = topics;
    this.metrics = metrics;
    this.sink = sink;
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "spendstream-replay");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
    shardContext = new MockProcessorContext<>(props, new TaskId(0, 0), null);
    mergeContext = new MockProcessorContext<>(props, new TaskId(1, 0), null);
    // the key-value stores are the topology's own; its two window stores need a running application to start
    ShardPass.Stores names = SpendTopology.SHARD_STORES;
    addStores(shardContext, SpendTopology.shardStores(config, StoreKind.IN_MEMORY).stream()
        .filter(b -> !b.name().equals(names.claims()) && !b.name().equals(names.storms())).toList());
    shardContext.addStateStore(new ReplayWindowStore<>(names.claims(), PricingTopology.claimsRetention(config.dedupe())));
    shardContext.addStateStore(new ReplayWindowStore<>(names.storms(), SpendTopology.stormRetention(config)));
    addStores(mergeContext, SpendTopology.mergeStores(StoreKind.IN_MEMORY));
    shard = new ShardPass(new CallIntake(serdes.calls().deserializer(), pricer, config.dedupe().horizon(), metrics), config,
        topics.rerouted(), SpendTopology.SHARD_STORES, metrics);
    merge = new MinuteMerge(config, 1, SpendTopology.MERGE_STORES, metrics);
    shard.init(shardContext);
    merge.init(mergeContext);
  }

  private static void addStores(MockProcessorContext<?, ?> context, List<StoreBuilder<?>> builders) {
    for (StoreBuilder<?> b : builders) {
      StateStore store = b.withLoggingDisabled().withCachingDisabled().build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
    }
  }

  /** One record of llm.calls.v1 (or a tick), through both stages. */
  void process(byte[] key, byte[] value, long timestamp, Headers headers) {
    process(topics.calls(), key, value, timestamp, headers);
  }

  private void process(String topic, byte[] key, byte[] value, long timestamp, Headers headers) {
    shardContext.setRecordMetadata(topic, 0, offset++);
    guarded("shard-pass", () -> shard.process(new Record<>(key, value, timestamp, headers)));
    List<MockProcessorContext.CapturedForward<? extends Void, ? extends ShardOutput>> out = List.copyOf(shardContext.forwarded());
    shardContext.resetForwards();
    for (var f : out) {
      switch (f.record().value()) {
        case ShardOutput.Priced p -> sink.priced(p.call());
        case ShardOutput.Raised r -> sink.alert(r.alert());
        case ShardOutput.Report r -> merge(r.report(), f.record().timestamp());
        case ShardOutput.Reroute r -> process(topics.rerouted(), r.key(), r.value(), f.record().timestamp(), f.record().headers());
        case ShardOutput.DeadLetter d -> { } // counted by the stage; replay writes no dead-letter file
      }
    }
  }

  private void merge(ShardReport report, long timestamp) {
    guarded("minute-merge", () -> merge.process(new Record<>("", report, timestamp)));
    List<MockProcessorContext.CapturedForward<? extends String, ?>> out = List.copyOf(mergeContext.forwarded());
    mergeContext.resetForwards();
    for (var f : out) {
      switch (f.record().value()) {
        case CostWindow w -> sink.window(w);
        case Alert a -> sink.alert(a);
        default -> throw new IllegalStateException("unexpected merge output " + f.record().value());
      }
    }
  }

  /** As the processing exception handler does in the application: the record is counted and logged, replay goes on. */
  private void guarded(String node, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      metrics.deadLettered.increment();
      LOG.warn("event=dead_letter stage=stream-processor node={} reason=\"{}\"", node, e.toString());
    }
  }

  void close() {
    shard.close();
    merge.close();
  }
}
