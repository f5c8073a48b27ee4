package io.spendstream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.infra.process.ChildLogging;
import io.spendstream.infra.process.JavaProcess;
import io.spendstream.testkit.ClickHouseEndpoint;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.avro.ServiceTier;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerializer;
import io.spendstream.sink.schema.SchemaConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The sink on a real broker, registry and ClickHouse engine: every record lands once, even across a crash. */
@ExtendWith(RealInfraExtension.class)
class SinkIT {
  /** Two hours back, on the hour: event times relative to the run, as Kafka retention and ClickHouse TTLs count them. */
  private static final Instant T0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(2));
  @TempDir Path dir;
  private String suffix;
  private SinkTopics topics;
  private String database;
  private Client clickhouse;
  private KafkaProducer<byte[], byte[]> producer;
  private SchemaRegistryClient registry;
  private String bootstrap;
  private String registryUrl;
  private ClickHouseEndpoint ch;

  @BeforeEach
  void setUp(KafkaEndpoint kafka, RegistryEndpoint reg, ClickHouseEndpoint ch) {
    this.ch = ch;
    bootstrap = kafka.bootstrapServers();
    registryUrl = reg.url();
    suffix = ".sink-" + UUID.randomUUID().toString().substring(0, 8);
    topics = SinkTopics.withSuffix(suffix);
    database = "sink_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    KafkaTopics.ensure(bootstrap, List.of(new TopicSpec(topics.priced(), 3, Duration.ofDays(3650)),
        new TopicSpec(topics.windows(), 3, Duration.ofDays(3650)), new TopicSpec(topics.alerts(), 3, Duration.ofDays(3650)),
        new TopicSpec(topics.reportedUsage(), 3, Duration.ofDays(3650)),
        new TopicSpec(topics.deadLetters(), 1, Duration.ofDays(3650))));
    clickhouse = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.user()).setPassword(ch.password()).build();
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer());
    registry = new SchemaRegistryClient(RegistryClientConfig.of(registryUrl));
  }

  @AfterEach
  void tearDown() throws Exception {
    producer.close();
    clickhouse.execute("DROP DATABASE IF EXISTS " + database).get(30, TimeUnit.SECONDS).close();
    clickhouse.close();
  }

  private SinkConfig config(int batchRows) {
    return SinkConfig.builder(bootstrap, registryUrl, ch.url()).user(ch.user()).password(ch.password())
        .schema(SchemaConfig.singleNode(database)).groupId("sink-it-" + suffix).topics(topics).maxRows(batchRows)
        .maxWait(Duration.ofMillis(300)).maxBackoff(Duration.ofSeconds(2)).build();
  }

  /**
   * Sends every record and waits for each acknowledgement; a send that failed is sent again (up to 3 times). Unchecked
   * sends once lost 6 of 6,000 records in CI (a stall of the test broker), and the crash test reported them as rows the
   * sink lost.
   */
  private void sendAll(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> acks = new ArrayList<>();
    records.forEach(rec -> acks.add(producer.send(rec)));
    producer.flush();
    for (int i = 0; i < records.size(); i++) {
      for (int attempt = 1; ; attempt++) {
        try {
          acks.get(i).get(60, TimeUnit.SECONDS);
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          if (attempt == 3) {
            throw new AssertionError("Kafka did not take test record " + i + " after 3 sends", e);
          }
          acks.set(i, producer.send(records.get(i)));
        }
      }
    }
  }

  static PricedCall call(int i, Random r) {
    LlmCall c = LlmCall.newBuilder().setEventId("e" + i).setTimestamp(T0.plusSeconds(i))
        .setTenantId("t" + r.nextInt(3)).setProvider("anthropic").setModel("claude-haiku-4-5").setRoute("/r" + r.nextInt(4))
        .setInputTokens(r.nextInt(10_000)).setOutputTokens(r.nextInt(1000)).setCacheReadInputTokens(0)
        .setCacheCreationInputTokens(0).setServiceTier(ServiceTier.STANDARD).setLatencyMs(100 + r.nextInt(900))
        .setStatusCode(200).setAttributes(Map.of("env", "test")).build();
    return new Pricer(PriceCatalogLoader.defaults()).price(c);
  }

  private long query(String sql) {
    return clickhouse.queryAll(sql.replace("DB.", database + ".")).getFirst().getLong(1);
  }

  /**
   * Waits until the sink's group has committed every record of the priced topic: its batches are in ClickHouse and
   * nothing more of the topic will be written (the marker a count can be final against, instead of a sleep).
   */
  private void awaitAllCommitted(Duration timeout) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
      admin.describeTopics(List.of(topics.priced())).allTopicNames().get(30, TimeUnit.SECONDS).get(topics.priced())
          .partitions().forEach(p -> latest.put(new org.apache.kafka.common.TopicPartition(topics.priced(), p.partition()),
              org.apache.kafka.clients.admin.OffsetSpec.latest()));
      Map<org.apache.kafka.common.TopicPartition, Long> ends = new java.util.HashMap<>();
      admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
      org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
        var committed = admin.listConsumerGroupOffsets("sink-it-" + suffix).partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.get(e.getKey()) != null
            && committed.get(e.getKey()).offset() >= e.getValue());
      });
    }
  }

  /** Rows per partition, missing event ids, the group's committed offsets, and the crashed sink's log (kept in target/). */
  private String crashDiagnostics(int n) {
    StringBuilder out = new StringBuilder("llm_calls per partition (rows, min offset, max offset):");
    clickhouse.queryAll("SELECT kafka_partition, count(), min(kafka_offset), max(kafka_offset) FROM " + database
        + ".llm_calls GROUP BY kafka_partition ORDER BY kafka_partition").forEach(r -> out.append(' ').append(r.getLong(1))
        .append(": ").append(r.getLong(2)).append(" rows ").append(r.getLong(3)).append('-').append(r.getLong(4)));
    Set<String> present = new HashSet<>();
    clickhouse.queryAll("SELECT event_id FROM " + database + ".llm_calls").forEach(r -> present.add(r.getString(1)));
    out.append("\nmissing (first 20): ").append(IntStream.range(0, n).mapToObj(i -> "e" + i).filter(id -> !present.contains(id))
        .limit(20).toList());
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      out.append("\ncommitted offsets: ").append(admin.listConsumerGroupOffsets("sink-it-" + suffix)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      out.append("\ncommitted offsets: unavailable: ").append(e);
    }
    try {
      Path kept = Path.of("target", "sink-it-crash" + suffix.replace('.', '-') + ".log");
      Files.copy(dir.resolve("sink-1.log"), kept, StandardCopyOption.REPLACE_EXISTING);
      List<String> log = Files.readAllLines(kept);
      out.append("\ncrashed sink's log (all of it in ").append(kept.toAbsolutePath()).append("), last 40 lines:\n")
          .append(String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
    } catch (IOException e) {
      out.append("\ncrashed sink's log unavailable: ").append(e);
    }
    return out.toString();
  }

  private void awaitRows(String sql, long expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (query(sql) >= expected) {
          return;
        }
      } catch (RuntimeException notYet) {
        // database not migrated yet
      }
      Thread.sleep(200);
    }
  }

  @Test
  void everyRecordLandsExactlyOnceAcrossACrashBetweenInsertAndCommit() throws Exception {
    int n = 6000;
    Random r = new Random(9);
    AvroSerializer<PricedCall> ser = new AvroSerializer<>(registry, false, true);
    long expectedCost = 0;
    List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      PricedCall p = call(i, r);
      expectedCost += p.getCostNanos();
      sent.add(new ProducerRecord<>(topics.priced(), ("e" + i).getBytes(StandardCharsets.UTF_8),
          ser.serialize(topics.priced(), p)));
    }
    sendAll(sent);

    // first run: a real JVM that halts right after its 4th insert was acknowledged, before committing it
    List<String> args = List.of("-Xmx384m", ChildLogging.jvmArg(dir), "-cp", ChildLogging.classpath(),
        HaltAfterInsertsSinkMain.class.getName(), "4", "--kafka", bootstrap, "--registry", registryUrl, "--clickhouse",
        ch.url(), "--user", ch.user(), "--password", ch.password(), "--database", database, "--group", "sink-it-" + suffix,
        "--topics-suffix", suffix, "--batch-rows", "500", "--batch-wait-ms", "300");
    try (JavaProcess crashing = JavaProcess.start("sink-crashing", dir, List.of(), args, dir.resolve("sink-1.log"))) {
      assertThat(crashing.waitFor(Duration.ofSeconds(120))).isTrue();
      assertThat(crashing.exitCode()).isEqualTo(137);
    }
    long afterCrash = query("SELECT count() FROM DB.llm_calls");
    assertThat(afterCrash).as("rows of the uncommitted 4th batch are already in ClickHouse").isGreaterThanOrEqualTo(2000);

    try (Sink sink = Sink.start(config(700))) { // other batch sizes now: only the interrupted batch must be rebuilt exactly
      awaitRows("SELECT count() FROM DB.llm_calls", n, Duration.ofSeconds(90));
      awaitAllCommitted(Duration.ofSeconds(60)); // every batch written and committed: anything extra would be there now
      // once seen in CI: 5,995 of 6,000 after 90 s; if it happens again, say where the rows are and keep the log
      assertThat(query("SELECT count() FROM DB.llm_calls")).as(() -> crashDiagnostics(n)).isEqualTo(n);
      assertThat(query("SELECT uniqExact(event_id) FROM DB.llm_calls")).isEqualTo(n);
      assertThat(query("SELECT sum(cost_nanos) FROM DB.llm_calls")).isEqualTo(expectedCost);
      assertThat(query("SELECT sum(calls) FROM DB.llm_calls_hourly")).as("the rollup view deduplicated too").isEqualTo(n);
      assertThat(query("SELECT sum(cost_nanos) FROM DB.llm_calls_hourly")).isEqualTo(expectedCost);
      assertThat(sink.metrics().counter("spendstream_sink_rows_inserted", "llm_calls")).isPositive();
    }
  }

  @Test
  void unreadableAndUnwritableRecordsGoToTheDeadLetterTopicAndTheRestLands() throws Exception {
    AvroSerializer<PricedCall> ser = new AvroSerializer<>(registry, false, true);
    AvroSerializer<Alert> alerts = new AvroSerializer<>(registry, false, true);
    Random r = new Random(1);
    PricedCall negative = call(2, r);
    negative.getCall().setInputTokens(-5);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(List.of(
        new ProducerRecord<>(topics.priced(), ser.serialize(topics.priced(), call(1, r))),
        new ProducerRecord<>(topics.priced(), "garbage, not avro".getBytes(StandardCharsets.UTF_8)),
        new ProducerRecord<>(topics.priced(), ser.serialize(topics.priced(), negative)),
        new ProducerRecord<>(topics.priced(), ser.serialize(topics.priced(), call(3, r))),
        new ProducerRecord<>(topics.alerts(), alerts.serialize(topics.alerts(), Alert.newBuilder().setAlertId("a1")
            .setType(AlertType.RETRY_STORM).setSeverity(Severity.WARNING).setStatus(AlertStatus.FIRING).setTenantId("t0")
            .setDimension("prompt_hash").setDimensionValue("00000000000000aa").setDetectedAt(T0)
            .setObservedValue(6).setThreshold(5).setObservedUnit("calls").setCostNanos(42).setMessage("storm")
            .setEvidence(Map.of("calls", "6")).build()))));
    sendAll(records);
    try (Sink sink = Sink.start(config(100))) {
      awaitRows("SELECT count() FROM DB.llm_calls", 2, Duration.ofSeconds(60));
      awaitRows("SELECT count() FROM DB.alerts", 1, Duration.ofSeconds(30));
      assertThat(query("SELECT count() FROM DB.llm_calls")).isEqualTo(2);
      assertThat(query("SELECT count() FROM DB.alerts")).isEqualTo(1);
    }
    List<String> reasons = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + suffix, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topics.deadLetters()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (reasons.size() < 2 && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofMillis(200))) {
          reasons.add(new String(rec.headers().lastHeader("spendstream.dlq.reason").value(), StandardCharsets.UTF_8));
        }
      }
    }
    assertThat(reasons).hasSize(2);
    assertThat(reasons).anySatisfy(x -> assertThat(x).startsWith("unknown_magic_byte"))
        .anySatisfy(x -> assertThat(x).isEqualTo("input_tokens: -5 does not fit the unsigned column"));
  }

  @Test
  void clickHouseDownPausesTheSinkAndItCatchesUpWithNothingLost() throws Exception {
    int port = io.spendstream.infra.process.Ports.ephemeral();
    Path data = dir.resolve("ch-data");
    AvroSerializer<PricedCall> ser = new AvroSerializer<>(registry, false, true);
    Random r = new Random(4);
    long expected = 0;
    io.spendstream.infra.clickhouse.ClickHouseEndpointProcess own =
        io.spendstream.infra.clickhouse.ClickHouseEndpointProcess.start(port, data, dir, dir.resolve("ch-1.log"));
    SinkConfig c = config(200).toBuilder().clickhouseUrl(own.url()).user("default").password("")
        .maxBackoff(Duration.ofSeconds(1)).build();
    try (Sink sink = Sink.start(c); Client ownClient = new Client.Builder().addEndpoint(own.url()).setUsername("default")
        .setPassword("").build()) {
      List<ProducerRecord<byte[], byte[]>> first = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        PricedCall p = call(i, r);
        expected += p.getCostNanos();
        first.add(new ProducerRecord<>(topics.priced(), ser.serialize(topics.priced(), p)));
      }
      sendAll(first);
      awaitCount(ownClient, 1000);
      own.close(); // ClickHouse goes away
      List<ProducerRecord<byte[], byte[]>> second = new ArrayList<>();
      for (int i = 1000; i < 2000; i++) {
        PricedCall p = call(i, r);
        expected += p.getCostNanos();
        second.add(new ProducerRecord<>(topics.priced(), ser.serialize(topics.priced(), p)));
      }
      sendAll(second);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (sink.metrics().counter("spendstream_sink_insert_failures", "llm_calls") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(sink.metrics().counter("spendstream_sink_insert_failures", "llm_calls")).isPositive();
      assertThat(sink.metrics().failing()).isTrue();
      own = io.spendstream.infra.clickhouse.ClickHouseEndpointProcess.start(port, data, dir, dir.resolve("ch-2.log"));
      awaitCount(ownClient, 2000);
      awaitAllCommitted(Duration.ofSeconds(60));
      assertThat(ownClient.queryAll("SELECT count() FROM " + database + ".llm_calls").getFirst().getLong(1)).isEqualTo(2000);
      assertThat(ownClient.queryAll("SELECT sum(cost_nanos) FROM " + database + ".llm_calls").getFirst().getLong(1))
          .isEqualTo(expected);
      assertThat(sink.metrics().failing()).isFalse();
    } finally {
      own.close();
    }
  }

  private void awaitCount(Client c, long n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        if (c.queryAll("SELECT count() FROM " + database + ".llm_calls").getFirst().getLong(1) >= n) {
          return;
        }
      } catch (RuntimeException down) {
        // not there yet
      }
      Thread.sleep(300);
    }
  }
}
