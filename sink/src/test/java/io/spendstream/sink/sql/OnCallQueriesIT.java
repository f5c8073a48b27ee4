package io.spendstream.sink.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.testkit.ClickHouseEndpoint;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroDeserializer;
import io.spendstream.sink.check.ReportedCostCheck;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.sink.schema.Migrator;
import io.spendstream.sink.schema.SchemaConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every query of the on-call pack (sink/sql) against seeded calls, with the answers asserted. */
@ExtendWith(RealInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnCallQueriesIT {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private final List<Row> seeded = new ArrayList<>();
  /** The cost an emitter reported itself, for the seeded rows that carry one. */
  private final Map<Row, Long> reported = new java.util.IdentityHashMap<>();
  private Client client;
  private String db;

  record Row(Instant ts, String tenant, String route, String feature, String model, String status, long cost, long input,
      long output, long cacheRead, int latency, int code, String error, String stop, String user, String task, String hash) {}

  @BeforeAll
  void seed(ClickHouseEndpoint ch) throws Exception {
    client = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.user()).setPassword(ch.password()).build();
    db = "oncall_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Migrator.migrate(client, SchemaConfig.singleNode(db));
    for (int i = 0; i < 10; i++) { // acme /chat: ten $0.001 calls 10 minutes ago, good cache use
      seeded.add(new Row(ago(10), "acme", "/chat", "chat", "claude-sonnet-4-6", "PRICED", 1_000_000, 1000, 100, 3000,
          100 * (i + 1), 200, "", "end_turn", "u1", "t1", ""));
    }
    seeded.add(new Row(ago(5), "acme", "/chat", "chat", "claude-next-1", "UNPRICED_MODEL", 0, 10, 10, 0, 100, 200, "",
        "end_turn", "u1", "t1", ""));
    for (int i = 0; i < 4; i++) { // beta /search: four $0.005 calls, two rate limited, one truncated
      seeded.add(new Row(ago(20), "beta", "/search", "search", "claude-opus-4-7", "PRICED", 5_000_000, 2000, 100, 0,
          1000 * (i + 1), i < 2 ? 429 : 200, i < 2 ? "rate_limit_error" : "", i == 3 ? "max_tokens" : "end_turn", "u2", "t2", ""));
    }
    for (int i = 0; i < 7; i++) { // a retry storm: 7 failing calls of one prompt in 30 s
      seeded.add(new Row(ago(30).plusSeconds(5L * i), "acme", "/agent", "agent", "claude-sonnet-4-6", "PRICED", 100_000, 500, 0, 0,
          2000, 529, "overloaded_error", "", "u3", "t3", "00000000000000aa"));
    }
    for (int i = 0; i < 20; i++) { // last week: /chat was ten times cheaper per call, /search the same
      seeded.add(new Row(now.minus(Duration.ofDays(3)), "acme", "/chat", "chat", "claude-haiku-4-5", "PRICED", 100_000, 1000, 100,
          0, 100, 200, "", "end_turn", "u1", "old", ""));
    }
    for (int i = 0; i < 10; i++) {
      seeded.add(new Row(now.minus(Duration.ofDays(2)), "beta", "/search", "search", "claude-opus-4-7", "PRICED", 5_000_000, 2000,
          100, 0, 1000, 200, "", "end_turn", "u2", "old2", ""));
    }
    for (int i = 0; i < 10; i++) { // gamma /rag: 90 % from the cache three days ago, nothing from it in the last 15 min
      seeded.add(new Row(now.minus(Duration.ofDays(3)), "gamma", "/rag", "rag", "claude-haiku-4-5", "PRICED", 100_000, 1000,
          100, 9000, 100, 200, "", "end_turn", "u9", "", ""));
    }
    for (int i = 0; i < 5; i++) {
      seeded.add(new Row(ago(15), "gamma", "/rag", "rag", "claude-haiku-4-5", "PRICED", 100_000, 10_000, 100, 0, 100, 200, "",
          "end_turn", "u9", "", ""));
    }
    for (int i = 0; i < 3; i++) { // Claude Code session s-off: it priced each call 50 % above us; s-same agrees with us
      Row off = new Row(now.minus(Duration.ofDays(2)), "delta", "claude-code", "", "claude-sonnet-4-6", "PRICED", 1_000_000, 100,
          10, 0, 100, 200, "", "end_turn", "u5", "s-off", "");
      Row same = new Row(now.minus(Duration.ofDays(2)), "delta", "claude-code", "", "claude-sonnet-4-6", "PRICED", 1_000_000, 100,
          10, 0, 100, 200, "", "end_turn", "u5", "s-same", "");
      seeded.add(off);
      seeded.add(same);
      reported.put(off, 1_500_000L);
      reported.put(same, 1_000_000L);
    }
    StringBuilder rows = new StringBuilder();
    int n = 0;
    for (Row r : seeded) {
      rows.append(String.format("{\"event_id\":\"e%d\",\"ts\":\"%s\",\"tenant_id\":\"%s\",\"provider\":\"anthropic\",\"route\":\"%s\","
          + "\"feature\":\"%s\",\"model\":\"%s\",\"price_status\":\"%s\",\"cost_nanos\":%d,\"input_tokens\":%d,\"output_tokens\":%d,"
          + "\"cache_read_input_tokens\":%d,\"latency_ms\":%d,\"status_code\":%d,\"error_type\":\"%s\",\"stop_reason\":\"%s\","
          + "\"user_id\":\"%s\",\"task_id\":\"%s\",\"prompt_hash\":\"%s\"%s}%n", n++, TS.format(r.ts()), r.tenant(), r.route(),
          r.feature(), r.model(), r.status(), r.cost(), r.input(), r.output(), r.cacheRead(), r.latency(), r.code(), r.error(),
          r.stop(), r.user(), r.task(), r.hash(), reported.containsKey(r) ? ",\"reported_cost_nanos\":" + reported.get(r) : ""));
    }
    client.insert(db + ".llm_calls", new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)),
        ClickHouseFormat.JSONEachRow, new InsertSettings()).get(30, TimeUnit.SECONDS).close();
    // Claude Code's own counters for the same sessions (reported_usage): s-off in delta points (cost 2.0 + 2.5 m nanos,
    // one point sent twice), s-same as one cumulative series whose newest point is the total, s-lost with no calls
    Instant t = now.minus(Duration.ofDays(2));
    StringBuilder usage = new StringBuilder();
    usage.append(usage("p1", "s-off", "cost", false, t.minusSeconds(60), t, 2_000_000))
        .append(usage("p2", "s-off", "cost", false, t, t.plusSeconds(60), 2_500_000))
        .append(usage("p2", "s-off", "cost", false, t, t.plusSeconds(60), 2_500_000))
        .append(usage("p3", "s-off", "input", false, t.minusSeconds(60), t, 300))
        .append(usage("p4", "s-off", "output", false, t.minusSeconds(60), t, 30))
        .append(usage("q1", "s-same", "cost", true, t.minusSeconds(120), t.minusSeconds(60), 1_000_000))
        .append(usage("q2", "s-same", "cost", true, t.minusSeconds(120), t, 3_000_000))
        .append(usage("q3", "s-same", "input", true, t.minusSeconds(120), t, 300))
        .append(usage("q4", "s-same", "output", true, t.minusSeconds(120), t, 30))
        .append(usage("r1", "s-lost", "cost", false, t.minusSeconds(60), t, 2_000_000));
    client.insert(db + ".reported_usage", new ByteArrayInputStream(usage.toString().getBytes(StandardCharsets.UTF_8)),
        ClickHouseFormat.JSONEachRow, new InsertSettings()).get(30, TimeUnit.SECONDS).close();
  }

  /** A reported_usage row; a cumulative series is one series_id per session and kind. */
  private static String usage(String id, String session, String kind, boolean cumulative, Instant start, Instant time,
      long value) {
    String series = cumulative ? session + "-" + kind : id;
    return String.format("{\"event_id\":\"%s\",\"tenant_id\":\"delta\",\"source\":\"claude_code\",\"metric\":\"%s\","
        + "\"kind\":\"%s\",\"session_id\":\"%s\",\"model\":\"claude-sonnet-4-6\",\"series_id\":\"%s\","
        + "\"cumulative\":%s,\"start_time\":\"%s\",\"time\":\"%s\",\"value\":%d,\"received_at\":\"%s\"}%n", id,
        "cost".equals(kind) ? "claude_code.cost.usage" : "claude_code.token.usage", kind, session, series, cumulative,
        TS.format(start), TS.format(time), value, TS.format(time));
  }

  private Instant ago(int minutes) {
    return now.minus(Duration.ofMinutes(minutes));
  }

  @AfterAll
  void drop() throws Exception {
    client.execute("DROP DATABASE IF EXISTS " + db).get(30, TimeUnit.SECONDS).close();
    client.close();
  }

  private SqlResult run(String file, Map<String, String> params) throws Exception {
    return SqlRunner.run(client, db, Files.readString(Path.of("sql", file)), params);
  }

  private SqlResult run(String file) throws Exception {
    return run(file, Map.of());
  }

  @Test
  void everyQueryInThePackIsCoveredHereAndSaysWhenToUseIt() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("sql"))) {
      List<Path> sql = files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
      assertThat(sql).hasSize(18);
      for (Path p : sql) {
        assertThat(Files.readString(p)).as(p.toString()).startsWith("-- When: ");
      }
    }
  }

  @Test
  void topSpendLastHour() throws Exception {
    SqlResult r = run("01-top-spend-last-hour.sql");
    assertThat(r.rows()).hasSize(4);
    assertThat(r.value(3, "route") + ":" + r.value(3, "spend_nanos")).isEqualTo("/rag:500000");
    assertThat(r.value(0, "tenant_id") + r.value(0, "route") + r.value(0, "spend_nanos")).isEqualTo("beta/search20000000");
    assertThat(r.value(0, "spend_usd")).isEqualTo("0.020000000");
    assertThat(r.value(1, "route") + ":" + r.value(1, "calls") + ":" + r.value(1, "spend_nanos")).isEqualTo("/chat:11:10000000");
    assertThat(r.value(2, "route") + ":" + r.value(2, "spend_nanos")).isEqualTo("/agent:700000");
  }

  @Test
  void cacheHitRatioPerModel() throws Exception {
    SqlResult r = run("02-cache-hit-ratio-by-model.sql");
    int sonnet = -1;
    for (int i = 0; i < r.rows().size(); i++) {
      if (r.value(i, "model").equals("claude-sonnet-4-6")) {
        sonnet = i;
      }
    }
    // sonnet: 10 x 3000 read vs 10 x 1000 + 7 x 500 uncached
    assertThat(r.value(sonnet, "cache_hit_ratio")).isEqualTo(String.valueOf(Math.round(30000.0 / (30000 + 13500) * 10000) / 10000.0));
    assertThat(r.value(0, "cache_hit_ratio")).isEqualTo("0");
  }

  @Test
  void dailySpendAgainstTheBudget() throws Exception {
    SqlResult r = run("03-daily-spend-vs-budget.sql", Map.of("budget_usd", "1"));
    Instant month = now.atZone(ZoneOffset.UTC).withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).toInstant();
    long thisMonth = seeded.stream().filter(x -> !x.ts().isBefore(month)).mapToLong(Row::cost).sum();
    String last = r.value(r.rows().size() - 1, "month_to_date_usd");
    assertThat(new java.math.BigDecimal(last)).isEqualByComparingTo(java.math.BigDecimal.valueOf(thisMonth, 9));
    assertThat(r.value(0, "budget_usd")).isIn("1", "1.00");
  }

  @Test
  void mostExpensiveTasks() throws Exception {
    SqlResult r = run("04-most-expensive-tasks.sql");
    assertThat(r.value(0, "task_id") + ":" + r.value(0, "hops") + ":" + r.value(0, "spend_nanos")).isEqualTo("t2:4:20000000"); // 24 h only: old2 is 2 days old
    int storm = r.columns().indexOf("task_id");
    List<String> t3 = r.rows().stream().filter(row -> row.get(storm).equals("t3")).findFirst().orElseThrow();
    assertThat(t3.get(r.column("hops"))).isEqualTo("7");
    assertThat(t3.get(r.column("wall_clock_s"))).isEqualTo("32"); // 30 s of calls + the last call's 2 s
  }

  @Test
  void retryStormsLastHour() throws Exception {
    SqlResult r = run("05-retry-storms-last-hour.sql");
    assertThat(r.rows()).hasSize(1);
    assertThat(r.value(0, "prompt_hash")).isEqualTo("00000000000000aa");
    assertThat(r.value(0, "max_calls_in_60s")).isEqualTo("7");
    assertThat(r.value(0, "zero_output_calls")).isEqualTo("7");
    assertThat(r.value(0, "error_types")).isEqualTo("[overloaded_error]");
  }

  @Test
  void costZScoresRun() throws Exception {
    SqlResult r = run("06-cost-zscores-5min.sql");
    assertThat(r.columns()).contains("tenant_id", "route", "bucket", "cost_nanos", "z");
    assertThat(r.rows()).isNotEmpty();
  }

  @Test
  void silentModelUpgrade() throws Exception {
    SqlResult r = run("07-silent-model-upgrade.sql");
    assertThat(r.rows()).hasSize(1);
    assertThat(r.value(0, "route")).isEqualTo("/chat");
    assertThat(r.value(0, "week_nanos_per_call")).isEqualTo("100000");
    assertThat(r.value(0, "last_hour_nanos_per_call")).isEqualTo("909091"); // $0.01 over 11 calls
  }

  @Test
  void errorsByRouteAndLatencyByFeature() throws Exception {
    SqlResult e = run("08-errors-by-route.sql");
    int search = e.rows().stream().map(x -> x.get(e.column("route"))).toList().indexOf("/search");
    assertThat(e.value(search, "error_rate")).isEqualTo("0.5");
    assertThat(e.value(search, "rate_limited")).isEqualTo("2");
    SqlResult l = run("08-latency-and-truncation-by-feature.sql");
    int s = l.rows().stream().map(x -> x.get(l.column("feature"))).toList().indexOf("search");
    assertThat(l.value(s, "p95_latency_ms")).isEqualTo("4000");
    assertThat(l.value(s, "max_tokens_stop_rate")).isEqualTo("0.25");
  }

  @Test
  void topUsersTodayAndUnpricedModels() throws Exception {
    SqlResult u = run("09-top-users-today.sql");
    Instant today = now.truncatedTo(ChronoUnit.DAYS);
    long users = seeded.stream().filter(x -> !x.ts().isBefore(today)).map(Row::user).distinct().count();
    assertThat(u.rows()).hasSize((int) users);
    SqlResult p = run("09-unpriced-models.sql");
    assertThat(p.rows()).hasSize(1);
    assertThat(p.value(0, "model") + ":" + p.value(0, "calls")).isEqualTo("claude-next-1:1");
  }

  @Test
  void cacheRatioRegressionAgainstTheWeekBefore() throws Exception {
    SqlResult r = run("10-cache-ratio-regression.sql");
    assertThat(r.rows()).hasSize(1);
    assertThat(r.value(0, "tenant_id") + r.value(0, "route")).isEqualTo("gamma/rag");
    assertThat(r.value(0, "last_hour_ratio")).isEqualTo("0");
    assertThat(r.value(0, "baseline_ratio")).isEqualTo("0.9");
    assertThat(r.value(0, "last_hour_input_side_tokens")).isEqualTo("50000");
  }

  @Test
  void errorRateByFeatureAndModelAndLatencyPercentilesByModel() throws Exception {
    SqlResult e = run("11-error-rate-by-feature-and-model.sql");
    assertThat(e.value(0, "feature") + "/" + e.value(0, "model") + ":" + e.value(0, "calls") + ":" + e.value(0, "error_rate"))
        .isEqualTo("agent/claude-sonnet-4-6:7:1");
    assertThat(e.value(1, "feature") + "/" + e.value(1, "model") + ":" + e.value(1, "error_rate") + ":"
        + e.value(1, "rate_limited")).isEqualTo("search/claude-opus-4-7:0.5:2");
    SqlResult l = run("12-latency-by-model.sql");
    assertThat(l.value(0, "model") + ":" + l.value(0, "calls") + ":" + l.value(0, "p99_ms") + ":" + l.value(0, "max_ms"))
        .isEqualTo("claude-opus-4-7:4:4000:4000");
    int sonnet = l.rows().stream().map(x -> x.get(l.column("model"))).toList().indexOf("claude-sonnet-4-6");
    assertThat(l.value(sonnet, "calls")).isEqualTo("17");
    assertThat(l.value(sonnet, "p99_ms")).isEqualTo("2000");
  }

  @Test
  void dailySummaryByFeatureAddsUpToTheWeekAndMultiHopTasksCountTheirCalls() throws Exception {
    SqlResult d = run("13-daily-summary-by-feature.sql");
    Instant from = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(6));
    long week = seeded.stream().filter(x -> !x.ts().isBefore(from)).mapToLong(Row::cost).sum();
    long summed = 0;
    for (int i = 0; i < d.rows().size(); i++) {
      summed += Long.parseLong(d.value(i, "spend_nanos"));
    }
    assertThat(summed).isEqualTo(week);
    SqlResult t = run("14-multi-hop-tasks.sql");
    assertThat(t.rows()).extracting(x -> x.get(t.column("root_task")) + ":" + x.get(t.column("hops")))
        .containsExactly("t1:11", "t3:7", "t2:4");
    assertThat(t.value(0, "input_tokens")).isEqualTo("10010");
  }

  @Test
  void reportedAgainstPricedCostPerSession() throws Exception {
    SqlResult t = run("15-reported-vs-priced-cost.sql");
    assertThat(t.rows()).hasSize(1); // s-same agrees with us to the nano
    assertThat(t.value(0, "task_id")).isEqualTo("s-off");
    assertThat(t.value(0, "our_nanos")).isEqualTo("3000000");
    assertThat(t.value(0, "reported_nanos")).isEqualTo("4500000");
    assertThat(t.value(0, "difference_nanos")).isEqualTo("1500000");
    assertThat(t.value(0, "difference_pct")).isEqualTo("50");
  }

  @Test
  void claudeCodeMetricsAgainstPricedCallsPerSession() throws Exception {
    SqlResult t = run("16-metric-vs-priced-by-session.sql");
    // s-same: the cumulative series' newest point (3.0 m) is our cost to the nano, its first point (1.0 m) not added
    assertThat(t.rows()).extracting(r -> r.get(t.column("session_id"))).containsExactly("s-lost", "s-off");
    assertThat(t.value(0, "our_calls")).isEqualTo("0");
    assertThat(t.value(0, "reported_nanos")).isEqualTo("2000000");
    assertThat(t.value(1, "our_nanos")).isEqualTo("3000000");
    assertThat(t.value(1, "reported_nanos")).isEqualTo("4500000"); // the point sent twice counted once
    assertThat(t.value(1, "difference_pct")).isEqualTo("50");
    assertThat(t.value(1, "input_difference")).isEqualTo("0");
    assertThat(t.value(1, "output_difference")).isEqualTo("0");
  }

  @Test
  void reportedCostCheckRaisesEachSessionOnce(KafkaEndpoint kafka, RegistryEndpoint registry) throws Exception {
    String topic = "alerts-check-" + UUID.randomUUID();
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(new TopicSpec(topic, 1, Duration.ofDays(30))));
    ReportedCostCheck.Settings settings = new ReportedCostCheck.Settings(Duration.ofHours(1), Duration.ZERO,
        Duration.ofDays(7), 2, 1_000_000);
    List<Alert> first;
    try (ReportedCostCheck check = new ReportedCostCheck(client, db, kafka.bootstrapServers(), registry.url(), topic, settings)) {
      first = check.runOnce();
      assertThat(check.runOnce()).isEmpty(); // raised once per session
    }
    assertThat(first).extracting(Alert::getDimensionValue).containsExactly("s-lost", "s-off");
    Alert off = first.get(1);
    assertThat(off.getType()).isEqualTo(AlertType.REPORTED_COST_MISMATCH);
    assertThat(off.getTenantId()).isEqualTo("delta");
    assertThat(off.getObservedValue()).isEqualTo(4_500_000);
    assertThat(off.getBaseline()).isEqualTo(3_000_000);
    assertThat(off.getMessage()).contains("$0.0045", "3 calls at $0.003", "+$0.0015", "the tokens agree");
    assertThat(first.get(0).getMessage()).contains("none of its calls reached us");
    List<Alert> onTopic = new ArrayList<>();
    try (KafkaConsumer<String, Alert> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
        "group.id", "check-" + UUID.randomUUID(), "auto.offset.reset", "earliest"), new StringDeserializer(),
        new AvroDeserializer<>(new SchemaRegistryClient(RegistryClientConfig.of(registry.url())), Alert.class))) {
      c.subscribe(List.of(topic));
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
        c.poll(Duration.ofMillis(200)).forEach(r -> onTopic.add(r.value()));
        return onTopic.size() >= 2;
      });
    }
    assertThat(onTopic).extracting(Alert::getAlertId).containsExactlyElementsOf(first.stream().map(Alert::getAlertId).toList());
    // a restarted check (nothing in memory) finds the alerts in ClickHouse, as the sink stores them, and stays quiet
    StringBuilder rows = new StringBuilder();
    for (Alert a : first) {
      rows.append("{\"alert_id\":\"").append(a.getAlertId()).append("\",\"type\":\"REPORTED_COST_MISMATCH\",\"tenant_id\":\"delta\","
          + "\"dimension\":\"task_id\",\"dimension_value\":\"").append(a.getDimensionValue()).append("\",\"detected_at\":\"")
          .append(TS.format(a.getDetectedAt())).append("\"}\n");
    }
    client.insert(db + ".alerts", new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)),
        ClickHouseFormat.JSONEachRow, new InsertSettings()).get(30, TimeUnit.SECONDS).close();
    try (ReportedCostCheck restarted = new ReportedCostCheck(client, db, kafka.bootstrapServers(), registry.url(), topic,
        settings)) {
      assertThat(restarted.runOnce()).isEmpty();
    }
  }

  @Test
  void printsTableCsvAndJson() throws Exception {
    SqlResult r = SqlRunner.run(client, db, "SELECT 1 AS a, 'x,y' AS b;", Map.of());
    assertThat(r.table()).isEqualTo("a  b\n-  ---\n1  x,y\n(1 row)\n");
    assertThat(r.csv()).isEqualTo("a,b\n1,\"x,y\"\n");
    assertThat(r.json()).contains("\"b\" : \"x,y\"");
    assertThat(SqlRunner.run(client, db, "SELECT 1 AS a WHERE 0", Map.of()).columns()).containsExactly("a");
  }
}
