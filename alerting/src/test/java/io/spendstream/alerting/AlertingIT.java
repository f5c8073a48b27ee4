package io.spendstream.alerting;

import static io.spendstream.alerting.TestAlerts.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendstream.alerting.config.AlertingConfig;
import io.spendstream.alerting.config.AlertingConfigLoader;
import io.spendstream.alerting.deliver.Signature;
import io.spendstream.alerting.kafka.Parking;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.infra.process.ChildLogging;
import io.spendstream.infra.process.JavaProcess;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.schemas.AlertGroups;
import io.spendstream.schemas.DeadLetterHeaders;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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

/** Delivery on a real broker and registry to real HTTP receivers started here. */
@ExtendWith(RealInfraExtension.class)
class AlertingIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "webhook-secret-0123456789";
  @TempDir Path dir;
  private String bootstrap;
  private String registryUrl;
  private String alertsTopic;
  private String dlqTopic;
  private String group;
  private String cooldownTopic;
  private KafkaProducer<byte[], byte[]> producer;
  private AvroSerializer<Alert> serializer;
  private final List<AutoCloseable> closeLater = new ArrayList<>();

  @BeforeEach
  void setUp(KafkaEndpoint kafka, RegistryEndpoint registry) {
    bootstrap = kafka.bootstrapServers();
    registryUrl = registry.url();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    alertsTopic = "alerts.v1." + suffix;
    dlqTopic = "alerts.dlq.v1." + suffix;
    group = "alerting-" + suffix;
    cooldownTopic = "alerting.cooldowns.v1." + suffix;
    KafkaTopics.ensure(bootstrap, List.of(new TopicSpec(alertsTopic, 2, Duration.ofDays(3650)),
        new TopicSpec(dlqTopic, 1, Duration.ofDays(3650))));
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer());
    serializer = new AvroSerializer<>(new SchemaRegistryClient(RegistryClientConfig.of(registryUrl)), false, true);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeLater.reversed()) {
      c.close();
    }
    producer.close();
  }

  private <T extends AutoCloseable> T later(T c) {
    closeLater.add(c);
    return c;
  }

  private void produce(Alert... alerts) throws Exception {
    for (Alert a : alerts) {
      producer.send(new ProducerRecord<>(alertsTopic, a.getAlertId().getBytes(StandardCharsets.UTF_8),
          serializer.serialize(alertsTopic, a))).get();
    }
  }

  /** Keyed as the stream processor keys them: by alert group, so all alerts of a group share a partition. */
  private void produceByGroup(Alert... alerts) throws Exception {
    for (Alert a : alerts) {
      producer.send(new ProducerRecord<>(alertsTopic, AlertGroups.keyOf(a).getBytes(StandardCharsets.UTF_8),
          serializer.serialize(alertsTopic, a))).get();
    }
  }

  /** All to one partition: the order in which a group's alerts arrive is then the order written. */
  private void produceInOrder(Alert... alerts) throws Exception {
    for (Alert a : alerts) {
      producer.send(new ProducerRecord<>(alertsTopic, 0, a.getAlertId().getBytes(StandardCharsets.UTF_8),
          serializer.serialize(alertsTopic, a))).get();
    }
  }

  private Alerting start(String yaml) {
    return later(startUnmanaged(yaml));
  }

  private Alerting startUnmanaged(String yaml) {
    AlertingConfig c = AlertingConfigLoader.parse(yaml, "test.yaml", Map.of("HOOK_SECRET", SECRET, "PD_KEY", "pd-routing-key")::get);
    return Alerting.start(AlertingSettings.of(bootstrap, registryUrl, c, 0).withTopics(alertsTopic, dlqTopic, group)
        .withCooldownTopic(cooldownTopic));
  }

  @Test
  void eachDestinationKindGetsItsPayloadAndWebhookSignaturesVerify() throws Exception {
    Receiver hook = later(Receiver.accepting());
    Receiver slack = later(Receiver.accepting());
    Receiver pd = later(Receiver.accepting());
    Alerting alerting = start("""
        destinations:
          hook: {kind: webhook, url: "%s", secret_env: HOOK_SECRET, cooldown: 0s}
          slack: {kind: slack, url: "%s", cooldown: 0s}
          pd: {kind: pagerduty, url: "%s", routing_key_env: PD_KEY, cooldown: 0s}
        default: [hook, slack, pd]
        """.formatted(hook.url("/in"), slack.url("/services/T/B/X"), pd.url("/v2/enqueue")));
    Alert storm = TestAlerts.storm("storm-1", "acme", "3f9a0c1d", T0);
    Alert spike = TestAlerts.anomaly("spike-1", "acme", "/v1/chat", Severity.CRITICAL, T0.plusSeconds(60));
    produce(storm, spike, TestAlerts.resolved(spike));

    await().atMost(Duration.ofSeconds(60)).until(() -> hook.accepted().size() == 3 && slack.accepted().size() == 3
        && pd.accepted().size() == 3);
    Set<String> keys = new HashSet<>();
    for (Receiver.Request r : hook.accepted()) {
      assertThat(Signature.verify(SECRET, r.header(Signature.TIMESTAMP_HEADER), r.header(Signature.SIGNATURE_HEADER), r.body(),
          Instant.now(), Signature.DEFAULT_TOLERANCE)).as("signature of %s", r.text()).isTrue();
      assertThat(Signature.verify("not-the-secret-at-all", r.header(Signature.TIMESTAMP_HEADER),
          r.header(Signature.SIGNATURE_HEADER), r.body(), Instant.now(), Signature.DEFAULT_TOLERANCE)).isFalse();
      JsonNode j = JSON.readTree(r.body());
      assertThat(r.header("Idempotency-Key")).isEqualTo(j.get("idempotency_key").asText());
      keys.add(j.get("idempotency_key").asText());
      assertThat(j.at("/alert/tenant_id").asText()).isEqualTo("acme");
    }
    assertThat(keys).containsExactlyInAnyOrder("storm-1:firing", "spike-1:firing", "spike-1:resolved");
    assertThat(slack.accepted()).allSatisfy(r -> {
      JsonNode j = JSON.readTree(r.body());
      assertThat(j.get("text").asText()).contains("tenant acme");
      assertThat(j.get("blocks").size()).isEqualTo(3);
    });
    List<JsonNode> events = new ArrayList<>();
    for (Receiver.Request r : pd.accepted()) {
      events.add(JSON.readTree(r.body()));
    }
    assertThat(events).extracting(e -> e.get("dedup_key").asText() + "/" + e.get("event_action").asText())
        .containsExactlyInAnyOrder("storm-1/trigger", "spike-1/trigger", "spike-1/resolve");
    assertThat(events).filteredOn(e -> e.get("dedup_key").asText().equals("spike-1") && e.has("payload"))
        .singleElement().satisfies(e -> assertThat(e.at("/payload/severity").asText()).isEqualTo("critical"));
    assertThat(events).allSatisfy(e -> assertThat(e.get("routing_key").asText()).isEqualTo("pd-routing-key"));
    awaitCommitted(3);
    assertThat(alerting.metrics().total("spendstream_alerting_delivered", "pd")).isEqualTo(3);
  }

  @Test
  void cooldownSendsOnePerGroupAndCountsTheRepeats() throws Exception {
    Receiver hook = later(Receiver.accepting());
    Alerting alerting = start("""
        destinations:
          hook: {kind: webhook, url: "%s", secret_env: HOOK_SECRET, cooldown: 10m}
        default: [hook]
        """.formatted(hook.url("/in")));
    produceInOrder(TestAlerts.storm("s1", "acme", "h1", T0), TestAlerts.storm("s2", "acme", "h1", T0.plusSeconds(120)),
        TestAlerts.storm("s3", "acme", "h1", T0.plusSeconds(240)), TestAlerts.storm("other", "acme", "h2", T0.plusSeconds(240)),
        TestAlerts.storm("s4", "acme", "h1", T0.plusSeconds(660)));
    awaitCommitted(5);
    List<JsonNode> got = new ArrayList<>();
    for (Receiver.Request r : hook.accepted()) {
      got.add(JSON.readTree(r.body()));
    }
    assertThat(got).extracting(j -> j.get("fingerprint").asText() + ":" + j.get("suppressed_repeats").asLong())
        .containsExactlyInAnyOrder("s1:0", "other:0", "s4:2");
    assertThat(alerting.metrics().total("spendstream_alerting_suppressed", "hook")).isEqualTo(2);
  }

  @Test
  void aReceiverThatFailsThreeTimesThenSucceedsGetsTheAlertOnce() throws Exception {
    Receiver flaky = later(new Receiver(List.of(503, 503, 500), 200, 0));
    Alerting alerting = start("""
        destinations:
          flaky:
            kind: webhook
            url: "%s"
            secret_env: HOOK_SECRET
            retry: {max_attempts: 5, initial_backoff: 100ms, max_backoff: 1s}
        default: [flaky]
        """.formatted(flaky.url("/in")));
    produce(TestAlerts.storm("s1", "acme", "h1", T0));
    awaitCommitted(1);
    assertThat(flaky.calls()).isEqualTo(4);
    assertThat(flaky.accepted()).singleElement().satisfies(r -> assertThat(r.header("Idempotency-Key")).isEqualTo("s1:firing"));
    assertThat(alerting.metrics().total("spendstream_alerting_retried", "flaky")).isEqualTo(3);
    assertThat(alerting.metrics().total("spendstream_alerting_failed", "flaky")).isEqualTo(3);
    assertThat(alerting.metrics().total("spendstream_alerting_delivered", "flaky")).isEqualTo(1);
    assertThat(alerting.metrics().total("spendstream_alerting_parked", "flaky")).isZero();
  }

  @Test
  void aReceiverDownForGoodGetsAlertsParkedWhileOthersAreDeliveredWithoutWaiting() throws Exception {
    Receiver live = later(Receiver.accepting());
    Receiver slow = later(new Receiver(List.of(), 503, 700)); // answers 503, slowly: the worst kind of down
    Alerting alerting = start("""
        destinations:
          live: {kind: webhook, url: "%s", secret_env: HOOK_SECRET, cooldown: 0s}
          down:
            kind: slack
            url: "%s"
            cooldown: 0s
            timeout: 2s
            retry: {max_attempts: 3, initial_backoff: 200ms, max_backoff: 1s}
        default: [live, down]
        """.formatted(live.url("/in"), slow.url("/slack")));
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      alerts.add(TestAlerts.storm("s" + i, "acme", "hash-" + i, T0.plusSeconds(i)));
    }
    produce(alerts.toArray(Alert[]::new));
    await().atMost(Duration.ofSeconds(30)).until(() -> live.accepted().size() == 5);
    // every alert costs the down destination 3 slow attempts plus backoff (> 2.5 s): live did not wait for it
    assertThat(alerting.metrics().total("spendstream_alerting_parked", "down")).as("parked when live had all 5").isLessThan(5);
    awaitCommitted(5);
    assertThat(slow.calls()).isEqualTo(15);
    List<ConsumerRecord<byte[], byte[]>> parked = readAll(dlqTopic, 5);
    assertThat(parked).hasSize(5).allSatisfy(r -> {
      assertThat(header(r, Parking.DESTINATION)).isEqualTo("down");
      assertThat(header(r, Parking.ATTEMPTS)).isEqualTo("3");
      assertThat(header(r, DeadLetterHeaders.REASON)).startsWith("delivery_failed: HTTP 503");
      assertThat(header(r, DeadLetterHeaders.SOURCE)).startsWith(alertsTopic + "/");
    });
    assertThat(parked).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactlyInAnyOrder("s0", "s1", "s2", "s3", "s4");
  }

  @Test
  void theRateLimitMakesExcessNotificationsWaitUncommittedInsteadOfDroppingThem() throws Exception {
    Receiver hook = later(Receiver.accepting());
    Alerting alerting = start("""
        destinations:
          hook: {kind: webhook, url: "%s", secret_env: HOOK_SECRET, cooldown: 0s, rate_limit_per_minute: 2}
        default: [hook]
        """.formatted(hook.url("/in")));
    produceInOrder(TestAlerts.storm("r1", "acme", "h1", T0), TestAlerts.storm("r2", "acme", "h2", T0),
        TestAlerts.storm("r3", "acme", "h3", T0));
    awaitCommitted(2);
    // the bucket refills one notification per 30 s: the third waits, in flight, and its offset stays uncommitted
    await().atMost(Duration.ofSeconds(30))
        .until(() -> alerting.metrics().total("spendstream_alerting_rate_limited", "hook") >= 1);
    assertThat(hook.accepted()).extracting(r -> r.header("Idempotency-Key")).containsExactly("r1:firing", "r2:firing");
    assertThat(alerting.metrics().total("spendstream_alerting_suppressed", "hook")).isZero();
    awaitCommitted(2);
  }

  @Test
  void unreadableRecordsAreParkedWithTheReasonAndTheRestDelivered() throws Exception {
    Receiver hook = later(Receiver.accepting());
    start("""
        destinations:
          hook: {kind: webhook, url: "%s", secret_env: HOOK_SECRET}
        default: [hook]
        """.formatted(hook.url("/in")));
    producer.send(new ProducerRecord<>(alertsTopic, 0, "junk".getBytes(StandardCharsets.UTF_8),
        "not avro".getBytes(StandardCharsets.UTF_8))).get();
    produce(TestAlerts.storm("s1", "acme", "h1", T0));
    awaitCommitted(2);
    assertThat(hook.accepted()).hasSize(1);
    assertThat(readAll(dlqTopic, 1)).singleElement().satisfies(r -> assertThat(header(r, DeadLetterHeaders.REASON))
        .isNotBlank());
  }

  @Test
  void aCrashMidDeliveryLosesNoAlert() throws Exception {
    Receiver hook = later(new Receiver(List.of(), 200, 100));
    Path config = dir.resolve("alerting.yaml");
    Files.writeString(config, """
        destinations:
          hook: {kind: webhook, url: "%s", secret_env: HOOK_SECRET, cooldown: 0s, rate_limit_per_minute: 0}
        default: [hook]
        """.formatted(hook.url("/in")));
    int n = 60;
    List<Alert> alerts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      alerts.add(TestAlerts.storm("crash-" + i, "t" + (i % 4), "hash-" + i, T0.plusSeconds(i)));
    }
    produce(alerts.toArray(Alert[]::new));
    List<String> args = List.of("-Xmx256m", ChildLogging.jvmArg(dir), "-cp", ChildLogging.classpath(), AlertingMain.class.getName(),
        "--kafka", bootstrap, "--registry", registryUrl, "--config", config.toString(), "--alerts-topic", alertsTopic,
        "--dlq-topic", dlqTopic, "--group", group);
    Map<String, String> env = Map.of("HOOK_SECRET", SECRET);
    try (JavaProcess first = JavaProcess.start("alerting-1", dir, List.of(), args, dir.resolve("alerting-1.log"), env)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> hook.accepted().size() >= 15);
      ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();
      first.waitFor(Duration.ofSeconds(10));
    }
    int beforeRestart = hook.accepted().size();
    assertThat(beforeRestart).as("delivered before the kill").isLessThan(n);
    try (JavaProcess second = JavaProcess.start("alerting-2", dir, List.of(), args, dir.resolve("alerting-2.log"), env)) {
      await().atMost(Duration.ofSeconds(90)).until(() -> distinctKeys(hook).size() == n);
      awaitCommitted(n);
    }
    int duplicates = hook.accepted().size() - n;
    System.out.printf("crash test: %d delivered before kill -9, %d duplicates after restart (receivers dedupe by key)%n",
        beforeRestart, duplicates);
    assertThat(distinctKeys(hook)).hasSize(n);
    // only what was in flight at the kill comes again: delivered-but-not-yet-committed, not the whole backlog
    assertThat(duplicates).isBetween(0, 10);
  }

  private static Set<String> distinctKeys(Receiver r) {
    Set<String> keys = new HashSet<>();
    r.accepted().forEach(q -> keys.add(q.header("Idempotency-Key")));
    return keys;
  }

  @Test
  void anAlertIdWithCrLfNeitherStopsTheWorkerNorInjectsAHeader() throws Exception {
    Receiver hook = later(Receiver.accepting());
    start("""
        destinations:
          hook: {kind: webhook, url: "%s", secret_env: HOOK_SECRET, cooldown: 0s}
        default: [hook]
        """.formatted(hook.url("/in")));
    produceInOrder(TestAlerts.storm("evil\r\nX-Injected: yes", "acme", "h1", T0), TestAlerts.storm("after", "acme", "h2", T0));
    awaitCommitted(2);
    assertThat(hook.accepted()).hasSize(2);
    assertThat(hook.accepted().get(0).header("Idempotency-Key")).matches("sha256:[0-9a-f]{64}");
    assertThat(hook.accepted().get(0).header("X-Injected")).isNull();
    assertThat(JSON.readTree(hook.accepted().get(0).body()).get("fingerprint").asText()).isEqualTo("evil\r\nX-Injected: yes");
    assertThat(hook.accepted().get(1).header("Idempotency-Key")).isEqualTo("after:firing");
  }

  @Test
  void twoInstancesNotifyEachGroupOnce() throws Exception {
    Receiver hook = later(Receiver.accepting());
    String yaml = """
        destinations:
          hook: {kind: webhook, url: "%s", secret_env: HOOK_SECRET, cooldown: 10m}
        default: [hook]
        """.formatted(hook.url("/in"));
    start(yaml);
    start(yaml);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      await().atMost(Duration.ofSeconds(60)).until(() -> admin.describeConsumerGroups(List.of(group)).all().get()
          .get(group).members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count() == 2);
    }
    List<Alert> alerts = new ArrayList<>();
    for (String hash : List.of("h1", "h2", "h3", "h4", "h5", "h6")) {
      for (int i = 0; i < 4; i++) {
        alerts.add(TestAlerts.storm(hash + "-" + i, "acme", hash, T0.plusSeconds(60L * i)));
      }
    }
    produceByGroup(alerts.toArray(Alert[]::new));
    awaitCommitted(alerts.size());
    assertThat(hook.accepted()).extracting(r -> JSON.readTree(r.body()).get("fingerprint").asText())
        .containsExactlyInAnyOrder("h1-0", "h2-0", "h3-0", "h4-0", "h5-0", "h6-0");
  }

  @Test
  void aRestartedInstanceRemembersWhatWasSentAndStaysQuiet() throws Exception {
    Receiver hook = later(Receiver.accepting());
    String yaml = """
        destinations:
          hook: {kind: webhook, url: "%s", secret_env: HOOK_SECRET, cooldown: 10m}
        default: [hook]
        """.formatted(hook.url("/in"));
    try (Alerting first = startUnmanaged(yaml)) {
      produceByGroup(TestAlerts.storm("s1", "acme", "h1", T0));
      awaitCommitted(1);
    }
    Alerting second = start(yaml);
    produceByGroup(TestAlerts.storm("s2", "acme", "h1", T0.plusSeconds(120)), TestAlerts.storm("s3", "acme", "h1",
        T0.plusSeconds(601)));
    awaitCommitted(3);
    assertThat(hook.accepted()).extracting(r -> JSON.readTree(r.body()).get("fingerprint").asText()
        + ":" + JSON.readTree(r.body()).get("suppressed_repeats").asLong()).containsExactly("s1:0", "s3:1");
    assertThat(second.metrics().total("spendstream_alerting_suppressed", "hook")).isEqualTo(1);
  }

  private void awaitCommitted(long total) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
        Map<TopicPartition, OffsetAndMetadata> o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        return o.values().stream().filter(m -> m != null).mapToLong(OffsetAndMetadata::offset).sum() == total;
      });
    }
  }

  private List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < expected && System.nanoTime() < until) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
      c.poll(Duration.ofMillis(500)).forEach(out::add);
    }
    return out;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
