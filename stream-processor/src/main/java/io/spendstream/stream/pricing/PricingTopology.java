package io.spendstream.stream.pricing;

import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.Builders;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.config.DedupeConfig;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Pricing alone, the benchmark's ceiling for the one-pass processor ({@link io.spendstream.stream.SpendTopology}):
 * llm.calls.v1 -> llm.calls.priced.v1 (key {@code tenant|model|route}, same partition number as the
 * input) and llm.calls.dlq.v1: decode, check, drop a tenant's repeated event_ids within the dedupe horizon, price at
 * event time.
 */
public final class PricingTopology {
  public static final String SOURCE = "calls-source";
  public static final String PROCESSOR = "decode-dedupe-price";
  /**
   * Claims by tenant + event_id, under horizon-sized buckets of event time (point lookups). Replaced
   * {@code dedupe-claims-by-tenant} (the same claims at their exact event time, found by range fetches) and before it
   * {@code dedupe-event-ids}; their claims are not read: see docs/upgrades.md.
   */
  public static final String DEDUPE_STORE = "dedupe-claims-by-tenant-bucket";
  public static final String PRICED_SINK = "priced-sink";
  public static final String DLQ_SINK = "calls-dlq-sink";

  private PricingTopology() {}

  public static Topology build(ProcessorTopics topics, TopicSerdes serdes, Pricer pricer, DedupeConfig config,
      StoreKind stores, ProcessorMetrics metrics) {
    StreamsBuilder b = Builders.newBuilder();
    addTo(b, topics, serdes, pricer, config, stores, metrics);
    return b.build();
  }

  /**
   * The dedupe claims: tenant + event_id -> position of the claiming record, under the start of the call's
   * horizon-sized bucket of event time; kept for three buckets (the previous one, this one and the next).
   */
  public static StoreBuilder<WindowStore<String, String>> claimsStore(DedupeConfig config, StoreKind stores) {
    return Stores.windowStoreBuilder(stores.window(DEDUPE_STORE, claimsRetention(config), config.horizon()),
        Serdes.String(), Serdes.String());
  }

  /**
   * The store keeps claims for {@link DedupeConfig#claimsRetention()} behind its newest bucket; its changelog (Kafka
   * Streams adds {@code windowstore.changelog.additional.retention.ms}, a day) is deleted by the claims' record time,
   * which is the call's event time: so a restore after a crash still has the claims of a backfill as old as
   * {@code max_age}.
   */
  public static Duration claimsRetention(DedupeConfig config) {
    return config.claimsRetention();
  }

  public static void addTo(StreamsBuilder b, ProcessorTopics topics, TopicSerdes serdes, Pricer pricer,
      DedupeConfig config, StoreKind stores, ProcessorMetrics metrics) {
    b.addStateStore(claimsStore(config, stores));
    KStream<SourceKey, Outcome> outcomes = b.stream(topics.calls(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
            .withName(SOURCE))
        .process(() -> new DecodeDedupePrice(new CallIntake(serdes.calls().deserializer(), pricer, config.horizon(), metrics),
                DEDUPE_STORE, metrics),
            Named.as(PROCESSOR), DEDUPE_STORE);
    outcomes.filter((k, v) -> v instanceof Outcome.DeadLetter, Named.as("dead-letters"))
        .mapValues(v -> ((Outcome.DeadLetter) v).value(), Named.as("dead-letter-bytes"))
        .to(topics.callsDlq(), Produced.with(SourceKey.SERDE, Serdes.ByteArray())
            .withName(DLQ_SINK));
    outcomes.filter((k, v) -> v instanceof Outcome.Priced, Named.as("priced-calls"))
        .mapValues(v -> ((Outcome.Priced) v).call(), Named.as("priced-call-values"))
        .to(topics.priced(), Produced.<SourceKey, PricedCall>with(SourceKey.SERDE, serdes.priced())
            .withStreamPartitioner(SourceKey.samePartition()).withName(PRICED_SINK));
  }
}
