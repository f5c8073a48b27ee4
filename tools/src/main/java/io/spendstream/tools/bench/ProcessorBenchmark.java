package io.spendstream.tools.bench;

import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.schemas.CallKeys;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.json.LlmCallJson;
import io.spendstream.schemas.json.ParseOptions;
import io.spendstream.schemas.json.ParseResult;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroDeserializer;
import io.spendstream.schemas.serde.AvroSerde;
import io.spendstream.schemas.serde.AvroSerializer;
import io.spendstream.pricing.Pricer;
import io.spendstream.stream.DimensionKeys;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import io.spendstream.stream.pricing.PricingTopology;
import io.spendstream.stream.ProcessorSettings;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.StreamProcessor;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.state.avro.CostBucket;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The stream processor on a real broker: (1) events/s through all topologies with exactly_once_v2 vs a bare
 * Kafka Streams 1-minute count+sum (same input, same guarantee, RocksDB) measured in the same run, each from
 * RUNNING until its consumer group has caught up, and the pricing topology alone as the ceiling; (2) retry-storm
 * alert latency, wall time from producing the crossing call to the alert on the alert topic, while background load
 * runs.
 */
public final class ProcessorBenchmark {
  /**
   * Rates are medians over the rounds; {@code ratios} one per round (full / bare of that round), {@code pricingRatios}
   * likewise for pricing alone.
   */
  public record Result(int events, double fullRate, double bareRate, double pricingRate, double backgroundRate, int storms,
      int alerted, double p50Millis, double p99Millis, double maxMillis, List<Double> ratios, List<Double> pricingRatios) {
    /** The median of the rounds' ratios. */
    public double ratio() {
      return median(ratios);
    }

    public double pricingRatio() {
      return median(pricingRatios);
    }
  }

  private ProcessorBenchmark() {}

  public static Result run(String kafka, String registryUrl, Path work, int events, int partitions, double background,
      int storms, int rounds, PrintWriter out) throws Exception {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
    }
    String suffix = ".bench-" + UUID.randomUUID().toString().substring(0, 8);
    ProcessorTopics topics = ProcessorTopics.withSuffix(suffix);
    String bareOut = "bench.bare.out" + suffix;
    Duration keep = Duration.ofDays(3650);
    KafkaTopics.ensure(kafka, List.of(new TopicSpec(topics.calls(), partitions, keep), new TopicSpec(topics.priced(), partitions, keep),
        new TopicSpec(topics.windows(), partitions, keep), new TopicSpec(topics.alerts(), partitions, keep),
        new TopicSpec(topics.callsDlq(), 1, keep), new TopicSpec(bareOut, partitions, keep)));
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryClientConfig.of(registryUrl));
    AvroSerializer<LlmCall> ser = new AvroSerializer<>(registry, false, true);

    out.printf("generating %,d realistic calls ...%n", events);
    out.flush();
    List<LlmCall> pool = generate(events, Instant.now().minus(Duration.ofHours(2)), Duration.ofHours(1));
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      long t0 = System.nanoTime();
      for (LlmCall c : pool) {
        producer.send(new ProducerRecord<>(topics.calls(), CallKeys.bytes(c), ser.serialize(topics.calls(), c)));
      }
      producer.flush();
      out.printf("produced %,d calls to %s in %.1f s%n", events, topics.calls(), (System.nanoTime() - t0) / 1e9);
      out.flush();
    }
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
      // Bare and full alternate for several rounds and the medians count: on a small shared machine one run of
      // either moves by a third from one minute to the next, and alternating keeps drift from favouring one side.
      List<Double> bares = new ArrayList<>();
      List<Double> fulls = new ArrayList<>();
      List<Double> ratios = new ArrayList<>();
      List<Double> pricings = new ArrayList<>();
      List<Double> pricingRatios = new ArrayList<>();
      for (int round = 1; ; round++) {
        double bare = bare(kafka, registry, topics, bareOut, work, partitions, events, admin, out);
        // each round its own outputs, so that no round reads another's priced calls
        ProcessorTopics pt = roundTopics(kafka, topics, ".p" + round, partitions, keep);
        double pricing = pricingOnly(settings(kafka, registryUrl, "bench-pricing" + suffix + ".p" + round,
            work.resolve("pricing-state" + round), pt), registry, events, partitions, admin, out);
        pricings.add(pricing);
        pricingRatios.add(pricing / bare);
        String r = ".r" + round;
        ProcessorTopics rt = roundTopics(kafka, topics, r, partitions, keep);
        String appId = "bench-full" + suffix + r;
        StreamProcessor p = StreamProcessor.start(settings(kafka, registryUrl, appId, work.resolve("full-state" + r), rt));
        try {
          long t0 = awaitRunning(p::state);
          long t1 = GroupLag.awaitCaughtUp(admin, appId, rt.calls(), partitions, Duration.ofMinutes(20));
          double full = events / ((t1 - t0) / 1e9);
          bares.add(bare);
          fulls.add(full);
          ratios.add(full / bare);
          out.printf("round %d/%d: full pipeline %,d events in %.1f s = %,.0f events/s (%.0f%% of bare)%n", round, rounds, events,
              (t1 - t0) / 1e9, full, 100 * full / bare);
          out.flush();
          if (round < rounds) {
            continue; // closed below
          }
          double fullMedian = median(fulls);
          double rate = background > 0 ? background : Math.min(50_000, fullMedian / 2);
          Latency lat = stormLatency(kafka, registry, rt, ser, pool, rate, storms, out);
          return new Result(events, fullMedian, median(bares), median(pricings), lat.achievedRate, storms, lat.millis.size(),
              lat.quantile(0.5), lat.quantile(0.99), lat.quantile(1.0), List.copyOf(ratios), List.copyOf(pricingRatios));
        } finally {
          p.close();
        }
      }
    }
  }

  private static ProcessorTopics roundTopics(String kafka, ProcessorTopics topics, String r, int partitions, Duration keep) {
    ProcessorTopics rt = new ProcessorTopics(topics.calls(), topics.priced() + r, topics.windows() + r, topics.alerts() + r,
        topics.callsDlq() + r, topics.rerouted() + r);
    KafkaTopics.ensure(kafka, List.of(new TopicSpec(rt.priced(), partitions, keep), new TopicSpec(rt.windows(), partitions, keep),
        new TopicSpec(rt.alerts(), partitions, keep), new TopicSpec(rt.callsDlq(), 1, keep)));
    return rt;
  }

  private static ProcessorSettings settings(String kafka, String registryUrl, String appId, Path state, ProcessorTopics topics) {
    return new ProcessorSettings(kafka, registryUrl, appId, state, 1, "exactly_once_v2", Duration.ofMillis(100), -1, "127.0.0.1", 0,
        topics, ProcessorConfig.defaults(), PriceCatalogLoader.defaults());
  }

  /**
   * The production pricing topology alone (decode, dedupe, price, write the priced topic), run as the processor runs it:
   * the work every call needs before any window or detector, so its rate is a ceiling for the whole pipeline's.
   */
  private static double pricingOnly(ProcessorSettings s, SchemaRegistryClient registry, int events, int partitions, Admin admin,
      PrintWriter out) throws Exception {
    var topology = PricingTopology.build(s.topics(), TopicSerdes.registry(registry), new Pricer(s.catalog()), s.config().dedupe(),
        StoreKind.PERSISTENT, new ProcessorMetrics());
    try (KafkaStreams streams = new KafkaStreams(topology, StreamProcessor.streamsProperties(s))) {
      streams.start();
      long t0 = awaitRunning(streams::state);
      long t1 = GroupLag.awaitCaughtUp(admin, s.applicationId(), s.topics().calls(), partitions, Duration.ofMinutes(20));
      double rate = events / ((t1 - t0) / 1e9);
      out.printf("pricing alone (decode, dedupe, price, write priced): %,d events in %.1f s = %,.0f events/s%n", events,
          (t1 - t0) / 1e9, rate);
      out.flush();
      return rate;
    }
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static List<LlmCall> generate(int n, Instant from, Duration span) {
    CallGenerator g = new CallGenerator(42);
    List<LlmCall> out = new ArrayList<>(n);
    long step = Math.max(1, span.toMillis() / n);
    for (int i = 0; i < n; i++) {
      var json = g.next(g.tenant(i), from.plusMillis(i * step));
      switch (LlmCallJson.parse(json, ParseOptions.offline())) {
        case ParseResult.Valid v -> out.add(v.call());
        case ParseResult.Invalid bad -> throw new IllegalStateException("generator made an invalid call: " + bad.errors());
      }
    }
    return out;
  }

  private static KafkaProducer<byte[], byte[]> producer(String kafka) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 262_144,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static long awaitRunning(java.util.function.Supplier<KafkaStreams.State> state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (state.get() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Kafka Streams did not reach RUNNING: " + state.get());
      }
      Thread.sleep(20);
    }
    return System.nanoTime();
  }

  /** The baseline: the same input, deserialized the same way, one repartition, a 1-minute count + token sum. */
  private static double bare(String kafka, SchemaRegistryClient registry, ProcessorTopics topics, String outTopic, Path work,
      int partitions, int events, Admin admin, PrintWriter out) throws Exception {
    String appId = "bench-bare-" + UUID.randomUUID().toString().substring(0, 8);
    InternalAvroSerde<CostBucket> bucket = InternalAvroSerde.of(CostBucket.class);
    StreamsBuilder b = new StreamsBuilder();
    b.stream(topics.calls(), Consumed.with(Serdes.ByteArray(), AvroSerde.forValues(registry, LlmCall.class)).withName("bare-source"))
        .groupBy((k, c) -> DimensionKeys.tenantModelRoute(c), Grouped.with("bare-by-dimension", Serdes.String(),
            InternalAvroSerde.of(LlmCall.class)))
        .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMinutes(1), Duration.ofMinutes(5)))
        .aggregate(() -> CostBucket.newBuilder().setTenantId("").setRoute("").setCostNanos(0).setCalls(0).build(),
            (k, c, agg) -> {
              agg.setCalls(agg.getCalls() + 1);
              agg.setCostNanos(agg.getCostNanos() + c.getInputTokens() + c.getOutputTokens());
              return agg;
            }, Named.as("bare-count-sum"), Materialized.<String, CostBucket, org.apache.kafka.streams.state.WindowStore<
                org.apache.kafka.common.utils.Bytes, byte[]>>as("bare-store").withKeySerde(Serdes.String()).withValueSerde(bucket))
        .toStream(Named.as("bare-updates"))
        .map((w, v) -> KeyValue.pair(w.key(), v), Named.as("bare-key"))
        .to(outTopic, Produced.with(Serdes.String(), bucket).withName("bare-sink"));
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("bare-state").toString());
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    try (KafkaStreams streams = new KafkaStreams(b.build(), p)) {
      streams.start();
      long t0 = awaitRunning(streams::state);
      long t1 = GroupLag.awaitCaughtUp(admin, appId, topics.calls(), partitions, Duration.ofMinutes(20));
      double rate = events / ((t1 - t0) / 1e9);
      out.printf("bare Kafka Streams 1-minute count+sum: %,d events in %.1f s = %,.0f events/s%n", events, (t1 - t0) / 1e9, rate);
      out.flush();
      return rate;
    }
  }

  private record Latency(double achievedRate, List<Double> millis) {
    double quantile(double q) {
      if (millis.isEmpty()) {
        return Double.NaN;
      }
      List<Double> s = new ArrayList<>(millis);
      Collections.sort(s);
      return s.get((int) Math.min(s.size() - 1, Math.ceil(q * s.size()) - 1 < 0 ? 0 : Math.ceil(q * s.size()) - 1));
    }
  }

  /** Background load at {@code rate} events/s (live event time) and a storm of 6 calls every 2 s on a fresh prompt. */
  private static Latency stormLatency(String kafka, SchemaRegistryClient registry, ProcessorTopics topics,
      AvroSerializer<LlmCall> ser, List<LlmCall> pool, double rate, int storms, PrintWriter out) throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    List<Double> millis = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong backgroundSent = new AtomicLong();
    Thread alerts = Thread.ofPlatform().name("bench-alerts").start(() -> {
      try (KafkaConsumer<byte[], Alert> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
          ConsumerConfig.GROUP_ID_CONFIG, "bench-alerts-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
          ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(),
          new AvroDeserializer<>(registry, Alert.class))) {
        c.subscribe(List.of(topics.alerts()));
        while (!stop.get()) {
          for (var r : c.poll(Duration.ofMillis(20))) {
            Alert a = r.value();
            Long t = a.getType() == AlertType.RETRY_STORM ? sentAt.remove(a.getDimensionValue()) : null;
            if (t != null) {
              millis.add((System.nanoTime() - t) / 1e6);
            }
          }
        }
      }
    });
    Thread.sleep(2000); // let the alert consumer join before the first storm
    Thread load = Thread.ofPlatform().name("bench-background").start(() -> {
      try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
        long start = System.nanoTime();
        long i = 0;
        while (!stop.get()) {
          long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
          for (; i < due; i++) {
            LlmCall c = LlmCall.newBuilder(pool.get((int) (i % pool.size()))).setEventId("bg-" + i)
                .setTimestamp(Instant.now()).build();
            producer.send(new ProducerRecord<>(topics.calls(), CallKeys.bytes(c),
                ser.serialize(topics.calls(), c)));
          }
          backgroundSent.set(i);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    });
    long loadStart = System.nanoTime();
    out.printf("retry-storm latency: background load %,.0f events/s, %d storms, one every 2 s ...%n", rate, storms);
    out.flush();
    Thread.sleep(5000);
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      LlmCall template = pool.getFirst();
      for (int s = 0; s < storms; s++) {
        String hash = String.format("%016x", 0xbe00000000000000L + s);
        for (int k = 0; k < 6; k++) {
          LlmCall c = LlmCall.newBuilder(template).setEventId("storm-" + s + "-" + k).setTenantId("storm-bench")
              .setPromptHash(hash).setTimestamp(Instant.now()).build();
          byte[] value = ser.serialize(topics.calls(), c);
          if (k == 5) {
            producer.flush();
            sentAt.put(hash, System.nanoTime());
          }
          producer.send(new ProducerRecord<>(topics.calls(), CallKeys.bytes(c), value));
        }
        producer.flush();
        Thread.sleep(2000);
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    double achieved = backgroundSent.get() / ((System.nanoTime() - loadStart) / 1e9);
    stop.set(true);
    load.join();
    alerts.join();
    if (!sentAt.isEmpty()) {
      out.printf("  %d storms got no alert within 30 s%n", sentAt.size());
    }
    return new Latency(achieved, List.copyOf(millis));
  }
}
