package io.spendstream.stream.retrystorm;

import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.Builders;
import io.spendstream.stream.DimensionKeys;
import io.spendstream.stream.PricedSource;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import io.spendstream.stream.state.avro.StormCall;
import java.time.Duration;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * llm.calls.priced.v1 -> alerts.v1: RETRY_STORM per tenant x prompt hash, raised by the call that crosses
 * the threshold. Calls without a prompt hash cannot be in a storm and are skipped.
 */
public final class RetryStormTopology {
  public static final String REPARTITION = "retry-storm-by-prompt";
  /** Each pair's state, under the start of the stream-time bucket it was last written in. */
  public static final String STORE = "retry-storm-state-by-bucket";
  public static final String PROCESSOR = "retry-storm-detector";

  private RetryStormTopology() {}

  public static Topology build(ProcessorTopics topics, TopicSerdes serdes, ProcessorConfig config, StoreKind stores,
      ProcessorMetrics metrics) {
    StreamsBuilder b = Builders.newBuilder();
    addTo(b, PricedSource.stream(b, topics, serdes), topics, serdes, config, stores, metrics);
    return b.build();
  }

  /**
   * The state bucket: the longest window or cooldown of any tenant plus the windows' grace. A pair's state is found
   * (in the current bucket or the one before) for at least one bucket of stream time after its last call, so no
   * state is gone while a call up to the grace late could still make a storm with it or be silenced by its cooldown.
   */
  static Duration bucket(ProcessorConfig config, Duration grace) {
    return Stream.concat(Stream.of(config.retryStorm()),
            config.tenants().values().stream().map(ProcessorConfig.TenantDetectors::retryStorm))
        .flatMap(c -> Stream.of(c.window(), c.cooldown())).max(Duration::compareTo).orElseThrow().plus(grace);
  }

  public static void addTo(StreamsBuilder b, KStream<String, PricedCall> priced, ProcessorTopics topics,
      TopicSerdes serdes, ProcessorConfig config, StoreKind stores, ProcessorMetrics metrics) {
    Duration bucket = bucket(config, config.windows().grace());
    // two buckets: the current one and the one before it, where a pair's state may still be
    b.addStateStore(Stores.windowStoreBuilder(stores.window(STORE, bucket.multipliedBy(2), bucket), Serdes.String(),
        new StormStateSerde()));
    AlertProcessor.toAlerts(priced.filter((k, p) -> p.getCall().getPromptHash() != null, Named.as("retry-storm-with-prompt"))
        .map((k, p) -> KeyValue.pair(DimensionKeys.tenantPrompt(p.getCall()), RetryStormDetector.callOf(p)),
            Named.as("retry-storm-call"))
        .repartition(Repartitioned.with(Serdes.String(), InternalAvroSerde.of(StormCall.class)).withName(REPARTITION))
        .process(() -> new RetryStormProcessor(config, STORE, bucket, metrics), Named.as(PROCESSOR), STORE),
        topics, serdes, "retry-storm-alerts-sink");
  }
}
