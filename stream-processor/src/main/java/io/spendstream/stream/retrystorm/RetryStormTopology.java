package io.spendstream.stream.retrystorm;

import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.Builders;
import io.spendstream.stream.DimensionKeys;
import io.spendstream.stream.PricedSource;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.config.RetryStormConfig;
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
 * the threshold. Calls without a prompt hash cannot be in a storm and are skipped. Calls later than the
 * cost windows' grace are too late for storms as well (counted, and still priced and windowed).
 */
public final class RetryStormTopology {
  public static final String REPARTITION = "retry-storm-by-prompt";
  /** The pair's recent calls by event time (window store; expires by segment). */
  public static final String CALL_STORE = "retry-storm-calls";
  /** Detection time of each pair's last alert, while its cooldown lasts. */
  public static final String COOLDOWN_STORE = "retry-storm-cooldown";
  public static final String PROCESSOR = "retry-storm-detector";

  private RetryStormTopology() {}

  public static Topology build(ProcessorTopics topics, TopicSerdes serdes, ProcessorConfig config, StoreKind stores,
      ProcessorMetrics metrics) {
    StreamsBuilder b = Builders.newBuilder();
    addTo(b, PricedSource.stream(b, topics, serdes), topics, serdes, config, stores, metrics);
    return b.build();
  }

  /** How long calls stay in the call store: the longest window of any tenant, plus the accepted lateness. */
  static Duration callRetention(ProcessorConfig config, Duration lateness) {
    Duration longest = Stream.concat(Stream.of(config.retryStorm()),
            config.tenants().values().stream().map(ProcessorConfig.TenantDetectors::retryStorm))
        .map(RetryStormConfig::window).max(Duration::compareTo).orElseThrow();
    return longest.plus(lateness);
  }

  public static void addTo(StreamsBuilder b, KStream<String, PricedCall> priced, ProcessorTopics topics,
      TopicSerdes serdes, ProcessorConfig config, StoreKind stores, ProcessorMetrics metrics) {
    Duration lateness = config.windows().grace();
    // retain duplicates: two calls of a pair may share a millisecond, and each counts
    b.addStateStore(Stores.windowStoreBuilder(stores.window(CALL_STORE, callRetention(config, lateness), Duration.ofMillis(1), true),
        Serdes.String(), new RecentCallSerde()));
    // few entries (pairs that alerted within their cooldown) but read per call: memory, restored from its changelog
    b.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(COOLDOWN_STORE), Serdes.String(), Serdes.Long()));
    AlertProcessor.toAlerts(priced.filter((k, p) -> p.getCall().getPromptHash() != null, Named.as("retry-storm-with-prompt"))
        .map((k, p) -> KeyValue.pair(DimensionKeys.tenantPrompt(p.getCall()), RetryStormDetector.callOf(p)),
            Named.as("retry-storm-call"))
        .repartition(Repartitioned.with(Serdes.String(), InternalAvroSerde.of(StormCall.class)).withName(REPARTITION))
        .process(() -> new RetryStormProcessor(config, CALL_STORE, COOLDOWN_STORE, lateness, metrics), Named.as(PROCESSOR),
            CALL_STORE, COOLDOWN_STORE), topics, serdes, "retry-storm-alerts-sink");
  }
}
