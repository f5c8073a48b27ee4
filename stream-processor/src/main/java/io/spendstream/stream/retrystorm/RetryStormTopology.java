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
import io.spendstream.stream.state.avro.StormState;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * llm.calls.priced.v1 -> alerts.v1: RETRY_STORM per tenant x prompt hash, raised by the call that crosses
 * the threshold. Calls without a prompt hash cannot be in a storm and are skipped.
 */
public final class RetryStormTopology {
  public static final String REPARTITION = "retry-storm-by-prompt";
  public static final String STORE = "retry-storm-state";
  public static final String PROCESSOR = "retry-storm-detector";

  private RetryStormTopology() {}

  public static Topology build(ProcessorTopics topics, TopicSerdes serdes, ProcessorConfig config, StoreKind stores,
      ProcessorMetrics metrics) {
    StreamsBuilder b = Builders.newBuilder();
    addTo(b, PricedSource.stream(b, topics, serdes), topics, serdes, config, stores, metrics);
    return b.build();
  }

  public static void addTo(StreamsBuilder b, KStream<String, PricedCall> priced, ProcessorTopics topics,
      TopicSerdes serdes, ProcessorConfig config, StoreKind stores, ProcessorMetrics metrics) {
    AlertProcessor.addStore(b, stores, STORE, StormState.class);
    AlertProcessor.toAlerts(priced.filter((k, p) -> p.getCall().getPromptHash() != null, Named.as("retry-storm-with-prompt"))
        .map((k, p) -> KeyValue.pair(DimensionKeys.tenantPrompt(p.getCall()), RetryStormDetector.callOf(p)),
            Named.as("retry-storm-call"))
        .repartition(Repartitioned.with(Serdes.String(), InternalAvroSerde.of(StormCall.class)).withName(REPARTITION))
        .process(() -> new RetryStormProcessor(config, STORE, metrics), Named.as(PROCESSOR), STORE), topics, serdes, "retry-storm-alerts-sink");
  }
}
