package io.spendstream.stream.unpriced;

import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.Builders;
import io.spendstream.stream.PricedSource;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.config.UnpricedConfig;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import io.spendstream.stream.state.avro.UnpricedSeen;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/** llm.calls.priced.v1 -> alerts.v1: UNPRICED_MODEL, repartitioned by provider x model (only unpriced calls). */
public final class UnpricedModelTopology {
  public static final String REPARTITION = "unpriced-by-model";
  public static final String STORE = "unpriced-model-seen";

  private UnpricedModelTopology() {}

  public static Topology build(ProcessorTopics topics, TopicSerdes serdes, UnpricedConfig config, StoreKind stores,
      ProcessorMetrics metrics) {
    StreamsBuilder b = Builders.newBuilder();
    addTo(b, PricedSource.stream(b, topics, serdes), topics, serdes, config, stores, metrics);
    return b.build();
  }

  public static void addTo(StreamsBuilder b, KStream<String, PricedCall> priced, ProcessorTopics topics,
      TopicSerdes serdes, UnpricedConfig config, StoreKind stores, ProcessorMetrics metrics) {
    AlertProcessor.addStore(b, stores, STORE, UnpricedSeen.class);
    AlertProcessor.toAlerts(priced.filter((k, p) -> p.getPriceStatus() != PriceStatus.PRICED, Named.as("unpriced-calls"))
        .selectKey((k, p) -> p.getCall().getProvider() + "|" + p.getCall().getModel(), Named.as("unpriced-model-key"))
        .repartition(Repartitioned.with(Serdes.String(), InternalAvroSerde.of(PricedCall.class)).withName(REPARTITION))
        .process(() -> new UnpricedModelProcessor(config, STORE, metrics), Named.as("unpriced-model-detector"), STORE), topics, serdes, "unpriced-model-alerts-sink");
  }
}
