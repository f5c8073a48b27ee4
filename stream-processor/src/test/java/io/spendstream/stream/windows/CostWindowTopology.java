package io.spendstream.stream.windows;

import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.Builders;
import io.spendstream.stream.Labels;
import io.spendstream.stream.PricedSource;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.TooLateCounter;
import io.spendstream.stream.config.WindowsConfig;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * llm.calls.priced.v1 -> cost.windows.v1: tumbling event-time windows per tenant x model x route, one
 * final record per window and shard (suppressed until the window closes). The priced topic is keyed by
 * {@code tenant|model|route} and partitioned like the input, so grouping needs no repartition and each
 * partition (shard) closes its windows in its own event time; a window's total is the sum of its shards.
 * Only the smallest size is aggregated per call; larger sizes are exact sums of it ({@link WindowRollup}).
 */
public final class CostWindowTopology {
  private CostWindowTopology() {}

  public static String storeName(Duration size) {
    return "cost-windows-" + Labels.of(size) + "-store";
  }

  public static String suppressName(Duration size) {
    return "cost-windows-" + Labels.of(size) + "-suppress";
  }

  public static Topology build(ProcessorTopics topics, TopicSerdes serdes, WindowsConfig config, StoreKind stores,
      ProcessorMetrics metrics) {
    StreamsBuilder b = Builders.newBuilder();
    addTo(b, PricedSource.stream(b, topics, serdes), topics, serdes, config, stores, metrics);
    return b.build();
  }

  public static final String ROLLUP_STORE = "cost-windows-rollup";

  public static String rollupKey(long sizeMs, long startMs, String dimension) {
    return WindowRollup.rollupKey(sizeMs, startMs, dimension);
  }

  public static void addTo(StreamsBuilder b, KStream<String, PricedCall> priced, ProcessorTopics topics,
      TopicSerdes serdes, WindowsConfig config, StoreKind stores, ProcessorMetrics metrics) {
    CostWindowStateSerde state = new CostWindowStateSerde();
    Duration base = config.base();
    String label = "cost-windows-" + Labels.of(base);
    AlertProcessor.addStore(b, stores, ROLLUP_STORE, CostWindow.class);
    priced
        .processValues(() -> new TooLateCounter<PricedCall>(List.of(base), config.grace(),
            // too late for the smallest window means missing from every size: the larger ones are its sums
            size -> config.sizes().forEach(s -> metrics.tooLate(s).increment())), Named.as("cost-windows-too-late"))
        .groupByKey(Grouped.with("cost-windows-grouped", Serdes.String(), serdes.priced()))
        .windowedBy(TimeWindows.ofSizeAndGrace(base, config.grace()))
        .aggregate(CostWindows::empty, (k, call, agg) -> CostWindows.add(agg, call), Named.as(label + "-aggregate"),
            Materialized.<String, CostWindow>as(stores.window(storeName(base), base.plus(config.grace()), base))
                .withKeySerde(Serdes.String()).withValueSerde(state))
        .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName(suppressName(base)))
        .toStream(Named.as(label + "-closed"))
        .process(() -> new WindowRollup(config.larger(), ROLLUP_STORE), Named.as("cost-windows-rollup"),
            ROLLUP_STORE)
        .to(topics.windows(), Produced.with(Serdes.String(), serdes.windows()).withName("cost-windows-sink"));
  }
}
