package io.spendstream.tools.reliability;

import com.clickhouse.client.api.Client;
import io.spendstream.alerting.tail.AlertFilter;
import io.spendstream.alerting.tail.AlertTail;
import io.spendstream.tools.bench.CallGenerator;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.ServiceTier;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerializer;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The reliability suite: the whole pipeline under steady gateway load, one fault per scenario, each scenario its
 * own tenant so its accounting is exact — every acknowledged event in llm_calls exactly once, every one-minute
 * window equal to the raw rows to the nano, every injected retry storm alerted exactly once and delivered.
 */
public final class ReliabilitySuite {
  /** How a scenario hurts the pipeline; {@code load.injectStorm()} injects a retry storm while the fault lasts. */
  @FunctionalInterface
  interface Fault {
    void inject(SuiteStack stack, AckedLoad load) throws Exception;
  }

  /** What a scenario needs before its load starts. */
  @FunctionalInterface
  interface Setup {
    void prepare(SuiteStack stack);
  }

  /** A scenario's own check on the load, after it drained; failures as messages, notes for the table. */
  @FunctionalInterface
  interface Verify {
    List<String> failures(AckedLoad load, Ledger ledger, List<String> notes);
  }

  private static final Setup NOTHING = stack -> { };
  private static final Verify NO_MORE = (load, ledger, notes) -> List.of();

  /** {@code others}: tenants besides the scenario's own that its fault sends as (they get keys at start). */
  record Scenario(String name, String fault, boolean badInput, Setup setup, Fault inject, Verify verify, List<String> others) {
    Scenario(String name, String fault, boolean badInput, Setup setup, Fault inject) {
      this(name, fault, badInput, setup, inject, NO_MORE, List.of());
    }

    Scenario(String name, String fault, boolean badInput, Setup setup, Fault inject, Verify verify) {
      this(name, fault, badInput, setup, inject, verify, List.of());
    }
  }

  /** Knobs: events per second per scenario, load before and after the fault, how long outages last. */
  public record Settings(int rate, Duration before, Duration after, Duration outage, Duration settleTimeout) {
    public static Settings defaults() {
      return new Settings(100, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMinutes(4));
    }
  }

  /** Not Avro; a schema id the registry does not know; a lone magic byte. */
  private static final List<byte[]> POISON = List.of("not avro at all".getBytes(StandardCharsets.UTF_8),
      new byte[] {0, 0, 0, 0x7f, 0x7f, 1, 2}, new byte[] {0});
  private static final int POISON_RECORDS = POISON.size();
  /** Unreadable records on the topics the processor and alerting read after pricing. */
  private static final byte[] PRICED_POISON = "garbage on the priced topic".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ALERTS_POISON = "garbage on the alerts topic".getBytes(StandardCharsets.UTF_8);

  private final Settings settings;
  private final PrintWriter out;
  private final List<Alert> alerts = new CopyOnWriteArrayList<>();
  private String lastWaitProblem = "";
  private byte[] absurdCall = new byte[0];

  public ReliabilitySuite(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  /** All scenarios, in the order they run. */
  static List<Scenario> scenarios(Settings s) {
    return List.of(
        new Scenario("bad-input", "invalid JSON, missing field, negative tokens, control characters, unknown model, hostile"
            + " strings in every batch; unreadable records straight onto llm.calls.v1, llm.calls.priced.v1 and alerts.v1; a call"
            + " with absurd token counts straight onto llm.calls.v1", true, NOTHING, (stack, load) -> { }),
        killAndRestart("kill-gateway", "gateway", "gateway"),
        killAndRestart("kill-processor", "processor-1", "stream processor"),
        killAndRestart("kill-sink", "sink", "sink"),
        killAndRestart("kill-alerting", "alerting", "alert delivery"),
        new Scenario("clickhouse-outage", "ClickHouse endpoint stopped " + s.outage().toSeconds() + " s", false, NOTHING,
            (stack, load) -> {
              stack.stopClickHouse();
              load.injectStorm();
              Thread.sleep(s.outage());
              stack.startClickHouse();
            }),
        new Scenario("broker-restart", "Kafka broker stopped " + s.outage().toSeconds() + " s, restarted", false, NOTHING,
            (stack, load) -> {
              stack.stopKafka();
              load.injectStorm();
              Thread.sleep(s.outage());
              stack.startKafka();
            },
            // while the broker is down the gateway must say "not acknowledged" (503), never accept into the void
            (load, ledger, notes) -> load.unavailable.sum() > 0 ? List.of()
                : List.of("the gateway never answered 503 while the broker was down")),
        new Scenario("two-processors", "second processor joins; the first SIGKILLed, not restarted", false,
            stack -> stack.startService("processor-2"), (stack, load) -> {
              stack.kill("processor-1");
              load.injectStorm();
            }),
        HostileTenants.idCollision(),
        HostileTenants.flood(),
        HostileTenants.hostileEdges());
  }

  private static Scenario killAndRestart(String name, String service, String description) {
    return new Scenario(name, description + " SIGKILL, a storm while it is down, restarted", false, NOTHING, (stack, load) -> {
      stack.kill(service);
      load.injectStorm();
      stack.startService(service);
    });
  }


  /** Runs the scenarios named (all when empty); returns their outcomes, the table printed to {@code out}. */
  public List<Outcome> run(Path dir, List<String> only) throws Exception {
    List<Scenario> chosen = scenarios(settings).stream().filter(s -> only.isEmpty() || only.contains(s.name())).toList();
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("no such scenario: " + only + "; known: "
          + scenarios(settings).stream().map(Scenario::name).toList());
    }
    List<String> tenants = new ArrayList<>(chosen.stream().map(s -> tenant(s)).toList());
    chosen.forEach(s -> tenants.addAll(s.others()));
    tenants.add("rel-flush");
    List<Outcome> outcomes = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    try (WebhookReceiver receiver = new WebhookReceiver(); SuiteStack stack = new SuiteStack(dir, this::say)) {
      stack.start(tenants, receiver.url());
      Thread tail = Thread.ofPlatform().daemon().name("alerts-tail").start(() -> tailAlerts(stack, stop::get));
      try (Client ch = new Client.Builder().addEndpoint(stack.clickhouseUrl()).setUsername("default").setPassword("").build()) {
        Ledger ledger = new Ledger(ch, SuiteStack.DATABASE);
        for (int i = 0; i < chosen.size(); i++) {
          Scenario s = chosen.get(i);
          say("scenario %d/%d %s: %s".formatted(i + 1, chosen.size(), s.name(), s.fault()));
          outcomes.add(runScenario(stack, receiver, ledger, s, i));
          List<String> problems = outcomes.getLast().problems().stream().filter(x -> !x.equals(Outcome.WINDOWS_NOT_CHECKED)).toList();
          say(problems.isEmpty() ? "  events and alerts exact (windows are compared at the end, once they closed)" : "  FAIL: " + problems);
        }
        outcomes = checkWindows(stack, ledger, outcomes);
      } finally {
        stop.set(true);
        tail.join(5_000);
      }
    }
    return outcomes;
  }

  private static String tenant(Scenario s) {
    return "rel-" + s.name();
  }

  private Outcome runScenario(SuiteStack stack, WebhookReceiver receiver, Ledger ledger, Scenario s, int index) throws Exception {
    s.setup().prepare(stack);
    String tenant = tenant(s);
    AckedLoad load = new AckedLoad(stack.gateway(), tenant, stack.key(tenant), settings.rate(), Duration.ofMillis(200),
        s.badInput(), 1000L + index).start();
    Thread.sleep(settings.before());
    load.injectStorm();
    Thread.sleep(2_000);
    long t0 = System.nanoTime();
    s.inject().inject(stack, load);
    List<String> failed = new ArrayList<>();
    if (s.badInput()) {
      load.injectStorm();
      producePoison(stack, tenant);
    }
    double faultSeconds = (System.nanoTime() - t0) / 1e9;
    Thread.sleep(settings.after());
    load.stopAndDrain(Duration.ofMinutes(3));
    Set<String> acked = load.acked();
    Set<String> storms = load.stormHashes();
    say("  load stopped: %,d events acknowledged (%s; %d resends, %d connection errors); waiting for ClickHouse and the receiver"
        .formatted(acked.size(), load.statuses(), load.resends.sum(), load.connectionErrors.sum()));
    long t1 = System.nanoTime();
    boolean settled = awaitSettled(() -> ledger.distinctEvents(tenant) >= acked.size() && stormsDelivered(receiver, tenant, storms)
        && allDelivered(receiver, tenant));
    double settleSeconds = (System.nanoTime() - t1) / 1e9;
    Thread.sleep(3_000); // anything arriving twice would arrive now
    Map<String, Long> rows = ledger.rowsPerEvent(tenant);
    long landed = acked.stream().filter(rows::containsKey).count();
    long rowCount = acked.stream().mapToLong(id -> rows.getOrDefault(id, 0L)).sum();
    long unexpected = rows.keySet().stream().filter(id -> !acked.contains(id)).count();

    List<Alert> mine = alerts.stream().filter(a -> a.getTenantId().equals(tenant)).toList();
    Map<String, Long> stormAlerts = mine.stream().filter(a -> a.getType() == AlertType.RETRY_STORM)
        .collect(Collectors.groupingBy(Alert::getDimensionValue, Collectors.counting()));
    // an alert is its id and status: a condition that clears sends RESOLVED under the id it fired with
    Set<String> alertIds = mine.stream().map(ReliabilitySuite::deliveryKey).collect(Collectors.toSet());
    List<WebhookReceiver.Received> got = receiver.received(tenant);
    Set<String> keys = got.stream().map(WebhookReceiver.Received::idempotencyKey).collect(Collectors.toSet());
    Set<String> deliveredIds = got.stream().map(WebhookReceiver.Received::idempotencyKey).collect(Collectors.toSet());
    int delivered = (int) alertIds.stream().filter(deliveredIds::contains).count();
    if (mine.size() != alertIds.size()) {
      failed.add((mine.size() - alertIds.size()) + " alerts on alerts.v1 twice");
    }
    if (got.stream().anyMatch(r -> !r.idempotencyKey().equals(r.alertId() + ":firing")
        && !r.idempotencyKey().equals(r.alertId() + ":resolved"))) {
      failed.add("an alert was delivered under an idempotency key other than its id and status");
    }

    List<String> notes = new ArrayList<>();
    notes.add("fault %.1f s, settled %.1f s after load".formatted(faultSeconds, settleSeconds));
    if (!settled) {
      failed.add("not settled within " + settings.settleTimeout());
    }
    if (load.unavailable.sum() + load.connectionErrors.sum() > 0) {
      notes.add("gateway 503/429: %d, refused/reset: %d, batches resent: %d".formatted(load.unavailable.sum(),
          load.connectionErrors.sum(), load.resends.sum()));
    }
    failed.addAll(s.verify().failures(load, ledger, notes));
    if (s.badInput()) {
      badInputChecks(stack, ledger, load, tenant, notes, failed);
    }
    return new Outcome(s.name(), s.fault(), acked.size(), landed, rowCount, unexpected, storms, stormAlerts, alertIds.size(),
        delivered, got.size() - keys.size(), -1, List.of(), notes, failed);
  }

  private void badInputChecks(SuiteStack stack, Ledger ledger, AckedLoad load, String tenant, List<String> notes,
      List<String> failed) {
    long sent = load.badLinesSent.sum();
    long refused = load.badLinesRejected.sum();
    notes.add("%d/%d bad lines refused, each with its field and reason".formatted(refused, sent));
    if (refused != sent) {
      failed.add((sent - refused) + " bad lines were accepted by the gateway");
    }
    long hostile = ledger.rowsWith(tenant, "route", AckedLoad.HOSTILE_ROUTE);
    notes.add("hostile route landed verbatim %d/%d".formatted(hostile, load.hostileAcked.sum()));
    if (hostile != load.hostileAcked.sum()) {
      failed.add("hostile route: " + hostile + " rows carry it verbatim, " + load.hostileAcked.sum() + " were acknowledged");
    }
    long unpriced = ledger.unpricedZeroCost(tenant, AckedLoad.UNKNOWN_MODEL);
    notes.add("unknown model priced UNPRICED_MODEL at $0: %d/%d".formatted(unpriced, load.unknownModelAcked.sum()));
    if (unpriced != load.unknownModelAcked.sum()) {
      failed.add("unknown model: " + unpriced + " UNPRICED_MODEL rows, " + load.unknownModelAcked.sum() + " acknowledged");
    }
    // (garbage on the priced topic is the sink's to dead-letter: the processor no longer reads that topic back)
    List<byte[]> expected = new ArrayList<>(POISON);
    expected.add(absurdCall);
    long dlq = awaitValue(() -> onTopic(stack, Topics.LLM_CALLS_DLQ, expected), expected.size());
    long alertsDlq = awaitValue(() -> onTopic(stack, Topics.ALERTS_DLQ, List.of(ALERTS_POISON)), 1);
    long sinkDlq = awaitValue(() -> onTopic(stack, Topics.SINK_DLQ, List.of(PRICED_POISON, ALERTS_POISON)), 2);
    notes.add("unreadable records and an absurd call dead-lettered %d/%d; priced/alerts garbage: sink %d/2, alerting %d/1"
        .formatted(dlq, expected.size(), sinkDlq, alertsDlq));
    if (dlq != expected.size()) {
      failed.add(dlq + " of " + expected.size() + " unreadable or absurd records reached " + Topics.LLM_CALLS_DLQ);
    }
    if (sinkDlq != 2 || alertsDlq != 1) {
      failed.add("garbage on the priced/alerts topics: " + sinkDlq + "/2 on " + Topics.SINK_DLQ + ", " + alertsDlq + "/1 on "
          + Topics.ALERTS_DLQ);
    }
  }

  /** After every scenario: calls far in the future close every window on every partition, then windows vs rows. */
  private List<Outcome> checkWindows(SuiteStack stack, Ledger ledger, List<Outcome> outcomes) throws Exception {
    say("closing all windows (calls 4 minutes ahead on every partition) and comparing windows with raw rows ...");
    flush(stack);
    List<Outcome> checked = new ArrayList<>();
    long deadline = System.nanoTime() + settings.settleTimeout().toNanos();
    for (Outcome o : outcomes) {
      Ledger.WindowCheck w = ledger.windows("rel-" + o.scenario());
      while (!w.differences().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(1_000);
        w = ledger.windows("rel-" + o.scenario());
      }
      checked.add(o.withWindows(w));
    }
    return checked;
  }

  private static void flush(SuiteStack stack) throws Exception {
    StringBuilder body = new StringBuilder();
    CallGenerator g = new CallGenerator(7);
    // the suite's windows close 1 min + 2 min grace after they start; the gateway takes at most 5 min of clock skew
    Instant future = Instant.now().plus(Duration.ofMinutes(4));
    for (int i = 0; i < 60; i++) { // keyed by event_id: 60 keys reach all three partitions
      body.append(g.next("rel-flush", future).toString()).append('\n');
    }
    HttpRequest req = HttpRequest.newBuilder(stack.gateway().resolve("/v1/events")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + stack.key("rel-flush")).header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 202) {
        throw new IllegalStateException("flush batch refused: " + r.statusCode() + " "
            + r.body().substring(0, Math.min(300, r.body().length())));
      }
    }
  }

  private boolean stormsDelivered(WebhookReceiver receiver, String tenant, Set<String> storms) {
    Set<String> seen = receiver.received(tenant).stream().filter(r -> r.type().equalsIgnoreCase("retry_storm"))
        .map(WebhookReceiver.Received::dimensionValue).collect(Collectors.toSet());
    return seen.containsAll(storms);
  }

  private boolean allDelivered(WebhookReceiver receiver, String tenant) {
    Set<String> delivered = receiver.received(tenant).stream().map(WebhookReceiver.Received::idempotencyKey)
        .collect(Collectors.toSet());
    return alerts.stream().filter(a -> a.getTenantId().equals(tenant)).allMatch(a -> delivered.contains(deliveryKey(a)));
  }

  /** What the receiver dedupes by: the alert's id and status (see the alerting service's Notification). */
  private static String deliveryKey(Alert a) {
    return a.getAlertId() + ":" + a.getStatus().name().toLowerCase(java.util.Locale.ROOT);
  }

  private boolean awaitSettled(BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + settings.settleTimeout().toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (done.getAsBoolean()) {
          return true;
        }
      } catch (RuntimeException e) {
        // ClickHouse just restarted or busy: ask again, and say so once a while
        if (!String.valueOf(e.getMessage()).equals(lastWaitProblem)) {
          lastWaitProblem = String.valueOf(e.getMessage());
          say("  (still waiting: " + lastWaitProblem + ")");
        }
      }
      Thread.sleep(1_000);
    }
    return false;
  }

  private long awaitValue(LongSupplier value, long expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    long v = value.getAsLong();
    while (v < expected && System.nanoTime() < deadline) {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      v = value.getAsLong();
    }
    return v;
  }

  private void tailAlerts(SuiteStack stack, BooleanSupplier stop) {
    while (!stop.getAsBoolean()) {
      try {
        alerts.clear(); // a restart of the tail reads from the beginning again
        new AlertTail(stack.kafkaBootstrap(), stack.registryUrl(), Topics.ALERTS).run(AlertFilter.all(), true, 0, alerts::add,
            note -> say("  alerts.v1: " + note), following -> { }, stop);
      } catch (RuntimeException e) {
        if (!stop.getAsBoolean()) {
          say("  alerts tail: " + e.getMessage() + " (reading again)");
          try {
            Thread.sleep(1_000);
          } catch (InterruptedException ie) {
            return;
          }
        }
      }
    }
  }

  private void producePoison(SuiteStack stack, String tenant) {
    // a call a direct producer wrote with token counts no model has: the processor must dead-letter it, not crash
    LlmCall absurd = LlmCall.newBuilder().setEventId("absurd-1").setTimestamp(Instant.now()).setTenantId(tenant)
        .setProvider("anthropic").setModel("claude-opus-4-7").setRoute("/absurd").setInputTokens(Long.MAX_VALUE / 4)
        .setOutputTokens(1_000_000_000_000L).setCacheReadInputTokens(0).setCacheCreationInputTokens(0)
        .setServiceTier(ServiceTier.STANDARD).setLatencyMs(1).setStatusCode(200).setAttributes(Map.of()).build();
    absurdCall = new AvroSerializer<LlmCall>(new SchemaRegistryClient(RegistryClientConfig.of(stack.registryUrl())), false, true)
        .serialize(Topics.LLM_CALLS, absurd);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < POISON.size(); i++) {
        p.send(new ProducerRecord<>(Topics.LLM_CALLS, ("poison-" + i).getBytes(StandardCharsets.UTF_8), POISON.get(i)));
      }
      p.send(new ProducerRecord<>(Topics.LLM_CALLS, "absurd-1".getBytes(StandardCharsets.UTF_8), absurdCall));
      p.send(new ProducerRecord<>(Topics.LLM_CALLS_PRICED, "poison".getBytes(StandardCharsets.UTF_8), PRICED_POISON));
      p.send(new ProducerRecord<>(Topics.ALERTS, "poison".getBytes(StandardCharsets.UTF_8), ALERTS_POISON));
      p.flush();
    }
  }

  /** Records on a dead-letter topic that are the suite's own (original bytes kept). */
  private static long onTopic(SuiteStack stack, String topic, List<byte[]> values) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(topic, Duration.ofSeconds(10)).forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
      c.assign(parts);
      c.seekToBeginning(parts);
      Map<TopicPartition, Long> end = c.endOffsets(parts, Duration.ofSeconds(10));
      long n = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
        for (var r : c.poll(Duration.ofMillis(500))) {
          if (values.stream().anyMatch(b -> Arrays.equals(b, r.value()))) {
            n++;
          }
        }
      }
      return n;
    }
  }

  private void say(String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
