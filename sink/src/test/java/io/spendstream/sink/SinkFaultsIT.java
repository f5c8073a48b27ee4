package io.spendstream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.clickhouse.client.api.Client;
import io.spendstream.infra.clickhouse.ClickHouseEndpointProcess;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.infra.process.Ports;
import io.spendstream.testkit.ClickHouseEndpoint;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.schemas.DeadLetterHeaders;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerializer;
import io.spendstream.sink.schema.Migrator;
import io.spendstream.sink.schema.SchemaConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The sink when a dependency fails or refuses: rows ClickHouse refuses, the registry down at start, a rebalance during an outage. */
@ExtendWith(RealInfraExtension.class)
class SinkFaultsIT {
  @TempDir Path dir;
  private String suffix;
  private SinkTopics topics;
  private String database;
  private String bootstrap;
  private String registryUrl;
  private ClickHouseEndpoint ch;
  private Client clickhouse;
  private KafkaProducer<byte[], byte[]> producer;
  private AvroSerializer<PricedCall> serializer;
  private final Random random = new Random(17);
  private final Instant base = Instant.now().minus(Duration.ofHours(1));

  @BeforeEach
  void setUp(KafkaEndpoint kafka, RegistryEndpoint reg, ClickHouseEndpoint ch) {
    this.ch = ch;
    bootstrap = kafka.bootstrapServers();
    registryUrl = reg.url();
    suffix = ".faults-" + UUID.randomUUID().toString().substring(0, 8);
    topics = SinkTopics.withSuffix(suffix);
    database = "faults_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    KafkaTopics.ensure(bootstrap, List.of(new TopicSpec(topics.priced(), 3, Duration.ofDays(30)),
        new TopicSpec(topics.windows(), 3, Duration.ofDays(30)), new TopicSpec(topics.alerts(), 3, Duration.ofDays(30)),
        new TopicSpec(topics.reportedUsage(), 3, Duration.ofDays(30)),
        new TopicSpec(topics.deadLetters(), 1, Duration.ofDays(30))));
    clickhouse = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.user()).setPassword(ch.password()).build();
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer());
    serializer = new AvroSerializer<>(new SchemaRegistryClient(RegistryClientConfig.of(registryUrl)), false, true);
  }

  @AfterEach
  void tearDown() throws Exception {
    producer.close();
    clickhouse.execute("DROP DATABASE IF EXISTS " + database).get(30, TimeUnit.SECONDS).close();
    clickhouse.close();
  }

  private SinkConfig config(String registry, String clickhouseUrl, String user, String password, int batchRows) {
    return SinkConfig.builder(bootstrap, registry, clickhouseUrl).user(user).password(password)
        .schema(SchemaConfig.singleNode(database)).groupId("faults-" + suffix).topics(topics).maxRows(batchRows)
        .maxWait(Duration.ofMillis(300)).maxBackoff(Duration.ofSeconds(1)).build();
  }

  private static PricedCall withTime(PricedCall p, Instant t) {
    p.setCall(LlmCall.newBuilder(p.getCall()).setTimestamp(t).build());
    return p;
  }

  /**
   * Sends one call and waits for the broker's acknowledgement, so a send that failed (a broker stall expired it once,
   * and the test then counted a row that was never in the topic) fails here with its cause, not as a missing row.
   */
  private long send(PricedCall p) throws Exception {
    producer.send(new ProducerRecord<>(topics.priced(), p.getCall().getEventId().getBytes(StandardCharsets.UTF_8),
        serializer.serialize(topics.priced(), p))).get(150, TimeUnit.SECONDS);
    return p.getCostNanos();
  }

  private long query(Client c, String sql) {
    return c.queryAll(sql.replace("DB.", database + ".")).getFirst().getLong(1);
  }

  private List<String> deadLetterReasons(int atLeast) {
    List<String> reasons = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "dlq-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topics.deadLetters()));
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          reasons.add(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8));
        }
        return reasons.size() >= atLeast;
      });
    }
    return reasons;
  }

  /** The group has committed every record of the priced topic: nothing is in flight any more. */
  private boolean allCommitted() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      for (int p = 0; p < 3; p++) {
        latest.put(new TopicPartition(topics.priced(), p), OffsetSpec.latest());
      }
      var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("faults-" + suffix)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      return ends.entrySet().stream().allMatch(e -> committed.get(e.getKey()) != null
          && committed.get(e.getKey()).offset() >= e.getValue().offset());
    }
  }

  @Test
  void rowsClickHouseRefusesAreDeadLetteredWithItsReasonAndTheRestOfTheirBatchLands() throws Exception {
    long expected = 0;
    for (int i = 0; i < 40; i++) {
      expected += send(withTime(SinkIT.call(i, random), base.plusMillis(i)));
    }
    // an operator's CHECK constraint refuses these two: ClickHouse refuses the whole insert, so the batch is split
    for (int i : new int[] {100, 101}) {
      PricedCall p = withTime(SinkIT.call(i, random), base);
      p.setCall(LlmCall.newBuilder(p.getCall()).setRoute("/refused-by-constraint").build());
      send(p);
    }
    // times DateTime64 cannot hold: ClickHouse would store a wrong time without an error, so the sink refuses them
    send(withTime(SinkIT.call(102, random), Instant.parse("2500-06-01T00:00:00Z")));
    PricedCall future = withTime(SinkIT.call(103, random), base);
    future.setCall(LlmCall.newBuilder(future.getCall()).setReceivedAt(Instant.parse("+10000-01-01T00:00:00Z")).build());
    send(future);
    for (int i = 40; i < 60; i++) {
      expected += send(withTime(SinkIT.call(i, random), base.plusMillis(i)));
    }
    producer.flush();
    Migrator.migrate(clickhouse, SchemaConfig.singleNode(database));
    clickhouse.execute("ALTER TABLE " + database + ".llm_calls ADD CONSTRAINT no_refused_route CHECK route != '/refused-by-constraint'")
        .get(30, TimeUnit.SECONDS).close();
    try (Sink sink = Sink.start(config(registryUrl, ch.url(), ch.user(), ch.password(), 1000))) {
      await().atMost(Duration.ofSeconds(90)).until(this::allCommitted);
      assertThat(query(clickhouse, "SELECT count() FROM DB.llm_calls")).isEqualTo(60);
      assertThat(query(clickhouse, "SELECT uniqExact(event_id) FROM DB.llm_calls")).isEqualTo(60);
      assertThat(query(clickhouse, "SELECT sum(cost_nanos) FROM DB.llm_calls")).isEqualTo(expected);
      assertThat(sink.metrics().counter("spendstream_sink_rows_refused", "llm_calls")).isEqualTo(2);
    }
    assertThat(deadLetterReasons(4)).hasSize(4)
        .filteredOn(r -> r.startsWith("refused by ClickHouse (code 469)")).hasSize(2);
    assertThat(deadLetterReasons(4)).contains(
        "timestamp: 2500-06-01T00:00:00Z is outside what ClickHouse DateTime64 stores (1900-01-01T00:00:00Z to 2299-12-31T23:59:59.999Z)",
        "received_at: +10000-01-01T00:00:00Z is outside what ClickHouse DateTime64 stores (1900-01-01T00:00:00Z to 2299-12-31T23:59:59.999Z)");
  }

  @Test
  void startedWhileTheRegistryIsDownItWaitsForItAndThenLandsEverything() throws Exception {
    long expected = 0;
    for (int i = 0; i < 300; i++) {
      expected += send(withTime(SinkIT.call(i, random), base.plusMillis(i)));
    }
    producer.flush();
    try (SwitchableRegistry registry = new SwitchableRegistry(registryUrl);
         Sink sink = Sink.start(config(registry.url(), ch.url(), ch.user(), ch.password(), 100))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> registry.refused.get() >= 3);
      assertThat(sink.isWorkerAlive()).as("the worker waits for the registry instead of dying").isTrue();
      registry.up(true);
      await().atMost(Duration.ofSeconds(90)).until(this::allCommitted);
      assertThat(query(clickhouse, "SELECT count() FROM DB.llm_calls")).isEqualTo(300);
      assertThat(query(clickhouse, "SELECT sum(cost_nanos) FROM DB.llm_calls")).isEqualTo(expected);
    }
  }

  @Test
  void aRebalanceWhileClickHouseIsDownInsertsNothingTwice() throws Exception {
    int port = Ports.ephemeral();
    Path data = dir.resolve("ch-data");
    ClickHouseEndpointProcess own = ClickHouseEndpointProcess.start(port, data, dir, dir.resolve("ch-1.log"));
    long expected = 0;
    try (Client ownClient = new Client.Builder().addEndpoint(own.url()).setUsername("default").setPassword("").build();
         Sink first = Sink.start(config(registryUrl, own.url(), "default", "", 150))) {
      for (int i = 0; i < 1000; i++) {
        expected += send(withTime(SinkIT.call(i, random), base.plusMillis(i)));
      }
      producer.flush();
      await().atMost(Duration.ofSeconds(90)).until(this::allCommitted);
      own.close(); // ClickHouse goes away with batches in flight
      for (int i = 1000; i < 2000; i++) {
        expected += send(withTime(SinkIT.call(i, random), base.plusMillis(i)));
      }
      producer.flush();
      await().atMost(Duration.ofSeconds(60)).until(() -> first.metrics().counter("spendstream_sink_insert_failures", "llm_calls") >= 2);
      try (Sink second = Sink.start(config(registryUrl, own.url(), "default", "", 150))) { // joins: a rebalance mid-retry
        await().atMost(Duration.ofSeconds(60)).until(() -> groupMembers() == 2);
        own = ClickHouseEndpointProcess.start(port, data, dir, dir.resolve("ch-2.log"));
        await().atMost(Duration.ofSeconds(120)).until(this::allCommitted);
        assertThat(query(ownClient, "SELECT count() FROM DB.llm_calls")).isEqualTo(2000);
        assertThat(query(ownClient, "SELECT uniqExact(tenant_id, event_id) FROM DB.llm_calls")).isEqualTo(2000);
        assertThat(query(ownClient, "SELECT sum(cost_nanos) FROM DB.llm_calls")).isEqualTo(expected);
      }
    } finally {
      own.close();
    }
  }

  private int groupMembers() throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      return admin.describeConsumerGroups(List.of("faults-" + suffix)).all().get(30, TimeUnit.SECONDS)
          .get("faults-" + suffix).members().size();
    }
  }
}
