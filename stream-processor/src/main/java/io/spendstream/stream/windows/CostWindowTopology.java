package io.spendstream.stream.windows;

import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.Builders;
import io.spendstream.stream.Labels;
import io.spendstream.stream.PricedSource;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.config.WindowsConfig;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
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
    addTo(PricedSource.stream(b, topics, serdes), topics, serdes, config, stores, metrics);
    return b.build();
  }

  public static void addTo(KStream<String, PricedCall> priced, ProcessorTopics topics, TopicSerdes serdes,
      WindowsConfig config, StoreKind stores, ProcessorMetrics metrics) {
    InternalAvroSerde<CostWindow> state = InternalAvroSerde.of(CostWindow.class);
    KGroupedStream<String, PricedCall> grouped = priced
        .processValues(() -> new TooLateCounter(config.sizes(), config.grace(), metrics), Named.as("cost-windows-too-late"))
        .groupByKey(Grouped.with("cost-windows-grouped", Serdes.String(), serdes.priced()));
    for (Duration size : config.sizes()) {
      String label = "cost-windows-" + Labels.of(size);
      grouped.windowedBy(TimeWindows.ofSizeAndGrace(size, config.grace()))
          .aggregate(CostWindows::empty, (k, call, agg) -> CostWindows.add(agg, call), Named.as(label + "-aggregate"),
              Materialized.<String, CostWindow>as(stores.window(storeName(size), size.plus(config.grace()), size))
                  .withKeySerde(Serdes.String()).withValueSerde(state))
          .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()).withName(suppressName(size)))
          .toStream(Named.as(label + "-closed"))
          .processValues(FinishWindow::new, Named.as(label + "-final"))
          .selectKey((w, v) -> w.key(), Named.as(label + "-key"))
          .to(topics.windows(), Produced.with(Serdes.String(), serdes.windows()).withName(label + "-sink"));
    }
  }
}
