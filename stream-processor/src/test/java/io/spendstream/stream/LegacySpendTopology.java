package io.spendstream.stream;

import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.anomaly.CostAnomalyTopology;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import io.spendstream.stream.pricing.PricingTopology;
import io.spendstream.stream.retrystorm.RetryStormTopology;
import io.spendstream.stream.unpriced.UnpricedModelTopology;
import io.spendstream.stream.windows.CostWindowTopology;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;

/**
 * The processor before the one-pass design, kept only for the differential test (same input through both: priced
 * output identical; windows and alerts identical after canonical ordering). The whole processor as one application: pricing writes llm.calls.priced.v1, and the windows and
 * detectors read it back from the topic (so they see exactly what ClickHouse sees, and each stage
 * commits atomically with exactly_once_v2). The same build serves production, tests and replay.
 */
public final class LegacySpendTopology {
  private LegacySpendTopology() {}

  public static Topology build(ProcessorTopics topics, TopicSerdes serdes, Pricer pricer, ProcessorConfig config,
      StoreKind stores, ProcessorMetrics metrics) {
    StreamsBuilder b = Builders.newBuilder();
    PricingTopology.addTo(b, topics, serdes, pricer, config.dedupe(), stores, metrics);
    KStream<String, PricedCall> priced = PricedSource.stream(b, topics, serdes);
    CostWindowTopology.addTo(b, priced, topics, serdes, config.windows(), stores, metrics);
    RetryStormTopology.addTo(b, priced, topics, serdes, config, stores, metrics);
    CostAnomalyTopology.addTo(b, priced, topics, serdes, config, stores, metrics);
    UnpricedModelTopology.addTo(b, priced, topics, serdes, config.unpriced(), stores, metrics);
    return b.build();
  }
}
