package io.spendstream.chargeback;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.spendstream.chargeback.output.FocusExport;
import io.spendstream.chargeback.output.FocusVersion;
import io.spendstream.testkit.ClickHouseEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.sink.schema.Migrator;
import io.spendstream.sink.schema.SchemaConfig;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Reconciliation on the ClickHouse engine with seeded calls, windows and rollup. */
@ExtendWith(RealInfraExtension.class)
class ReconcileIT {
  /** Three days ago: inside every retention (TTL, the gateway's 7 days) whenever the test runs. */
  private static final LocalDate DAY = LocalDate.now(ZoneOffset.UTC).minusDays(3);
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final String[] TENANTS = {"acme", "beta", "__system__"};
  private static final String[] MODELS = {"claude-sonnet-4-6-20260315", "claude-haiku-4-5"};
  @TempDir Path out;
  private ClickHouseEndpoint ch;
  private Client client;
  private String db;
  /** our cost per billing model, as seeded */
  private final Map<String, Long> ourByModel = new TreeMap<>();
  private long ourTotal;

  @BeforeEach
  void seed(ClickHouseEndpoint ch) throws Exception {
    this.ch = ch;
    db = "cb_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    client = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.user()).setPassword(ch.password()).build();
    client.execute("CREATE DATABASE " + db).get(30, TimeUnit.SECONDS).close();
    Migrator.migrate(client, SchemaConfig.singleNode(db));
    Random rnd = new Random(11);
    StringBuilder calls = new StringBuilder();
    Map<String, long[]> windows = new TreeMap<>();
    Instant start = DAY.atStartOfDay().toInstant(ZoneOffset.UTC);
    for (int i = 0; i < 3_000; i++) {
      Instant ts = start.plusMillis(rnd.nextLong(86_400_000L));
      String tenant = TENANTS[rnd.nextInt(TENANTS.length)];
      String model = MODELS[rnd.nextInt(MODELS.length)];
      long in = rnd.nextInt(5_000);
      long outTok = rnd.nextInt(2_000);
      long cache = rnd.nextInt(10_000);
      long cost = in * 3_000 + outTok * 15_000 + cache * 300 + rnd.nextInt(1000);
      calls.append(String.format("{\"event_id\":\"e%d\",\"ts\":\"%s\",\"tenant_id\":\"%s\",\"model\":\"%s\",\"route\":\"/r%d\","
          + "\"input_tokens\":%d,\"output_tokens\":%d,\"cache_read_input_tokens\":%d,\"cost_nanos\":%d}%n", i, TS.format(ts), tenant,
          model, i % 3, in, outTok, cache, cost));
      String minute = TS.format(ts.truncatedTo(ChronoUnit.MINUTES));
      long[] w = windows.computeIfAbsent(minute + "|" + tenant + "|" + model + "|/r" + (i % 3), k -> new long[5]);
      w[0]++;
      w[1] += in;
      w[2] += outTok;
      w[3] += cache;
      w[4] += cost;
      ourByModel.merge(model.startsWith("claude-sonnet") ? "claude-sonnet-4-6" : "claude-haiku-4-5", cost, Long::sum);
      ourTotal += cost;
    }
    insert("llm_calls", calls.toString());
    StringBuilder w = new StringBuilder();
    windows.forEach((k, v) -> {
      String[] p = k.split("\\|");
      w.append(window(p[0], p[1], p[2], p[3], v, 1));
    });
    insert("cost_windows_shards", w.toString());
  }

  private static String window(String minute, String tenant, String model, String route, long[] v, long version) {
    Instant s = Instant.from(TS.parse(minute));
    return String.format("{\"window_start\":\"%s\",\"window_end\":\"%s\",\"window_size_ms\":60000,\"tenant_id\":\"%s\",\"route\":\"%s\","
        + "\"model\":\"%s\",\"shard\":0,\"calls\":%d,\"input_tokens\":%d,\"output_tokens\":%d,\"cache_read_input_tokens\":%d,"
        + "\"cost_nanos\":%d,\"version\":%d}%n", minute, TS.format(s.plusSeconds(60)), tenant, route, model, v[0], v[1], v[2], v[3], v[4],
        version);
  }

  private void insert(String table, String jsonLines) throws Exception {
    client.insert(db + "." + table, new ByteArrayInputStream(jsonLines.getBytes(StandardCharsets.UTF_8)), ClickHouseFormat.JSONEachRow,
        new InsertSettings()).get(60, TimeUnit.SECONDS).close();
  }

  @AfterEach
  void drop() throws Exception {
    client.execute("DROP DATABASE IF EXISTS " + db).get(30, TimeUnit.SECONDS).close();
    client.close();
  }

  private List<DayResult> run(Path invoice) {
    return Reconcile.run(ReconcileSettings.builder(ch.url(), DAY).user(ch.user()).password(ch.password()).database(db)
        .invoice(invoice).outDir(out).billingAccount("acct-test").build(), Clock.systemUTC());
  }

  private long one(String sql) {
    return client.queryAll(sql.replace("DB.", db + ".")).getFirst().getLong(1);
  }

  @Test
  void exactMatchIsConsistentToTheNanoAndWritesTableAndFiles() throws Exception {
    DayResult r = run(null).getFirst();
    assertThat(r.discrepancies()).isEmpty();
    assertThat(r.ok()).isTrue();
    assertThat(r.ourTotalNanos()).isEqualTo(ourTotal);
    assertThat(r.rows()).extracting(ChargebackRow::tenant).contains("__system__");
    assertThat(one("SELECT sum(our_cost_nanos) FROM DB.chargeback_daily WHERE day = '" + DAY + "'")).isEqualTo(ourTotal);
    assertThat(one("SELECT count() FROM DB.chargeback_daily WHERE status = 'NO_INVOICE'")).isEqualTo(r.rows().size());
    Path dir = out.resolve(DAY.toString());
    assertThat(dir.resolve("tenants")).isDirectoryContaining("glob:**/acme.csv").isDirectoryContaining("glob:**/__system__.csv");
    assertThat(Files.readAllLines(dir.resolve("chargeback.csv"))).hasSize(r.rows().size() + 1);
    assertThat(Files.readAllLines(dir.resolve("discrepancies.csv"))).hasSize(1);
  }

  @Test
  void anInjectedSinkGapIsFoundAndLocated() throws Exception {
    // the stream windowed two calls at 13:37 that never landed in llm_calls
    insert("cost_windows_shards", window(DAY + " 13:37:00.000", "beta", "claude-haiku-4-5", "/gap", new long[] {2, 10, 10, 0, 777}, 1));
    DayResult r = run(null).getFirst();
    assertThat(r.ok()).isFalse();
    assertThat(r.discrepancies()).singleElement().satisfies(d -> {
      assertThat(d.where().tenant()).isEqualTo("beta");
      assertThat(d.where().model()).isEqualTo("claude-haiku-4-5");
      assertThat(d.where().hour()).isEqualTo(DAY.atTime(13, 0).toInstant(ZoneOffset.UTC));
      assertThat(d.diagnosis()).contains("sink gap");
      assertThat(d.right().calls() - d.left().calls()).isEqualTo(2);
      assertThat(d.right().costNanos() - d.left().costNanos()).isEqualTo(777);
    });
    assertThat(one("SELECT count() FROM DB.chargeback_daily WHERE status = 'INCONSISTENT' AND tenant_id = 'beta'"
        + " AND model = 'claude-haiku-4-5'")).isEqualTo(1);
    assertThat(Files.readString(out.resolve(DAY + "/discrepancies.csv"))).contains(DAY + "T13:00:00Z").contains("sink gap");
  }

  @Test
  void invoiceOnePercentOffPassesThreePercentOffIsFlaggedAndAllocationSumsToTheInvoice() throws Exception {
    Path within = invoice("within.csv", new BigDecimal("1.01"));
    DayResult ok = run(within).getFirst();
    assertThat(ok.ok()).isTrue();
    long invoiceNanos = ok.comparisons().stream().mapToLong(ModelComparison::invoiceNanos).sum();
    assertThat(one("SELECT sum(provider_cost_nanos) FROM DB.chargeback_daily WHERE day = '" + DAY + "'")).isEqualTo(invoiceNanos);
    for (String model : ourByModel.keySet()) {
      long billed = ok.comparisons().stream().filter(c -> c.model().equals(model)).findFirst().orElseThrow().invoiceNanos();
      assertThat(one("SELECT sum(provider_cost_nanos) FROM DB.chargeback_daily WHERE model = '" + model + "'")).isEqualTo(billed);
    }
    assertThat(one("SELECT count() FROM DB.chargeback_daily WHERE status != 'OK'")).isZero();

    DayResult off = run(invoice("off.csv", new BigDecimal("1.03"))).getFirst();
    assertThat(off.ok()).isFalse();
    assertThat(off.comparisons()).allSatisfy(c -> {
      assertThat(c.flagged()).isTrue();
      assertThat(c.relativeDifference()).isBetween(new BigDecimal("0.029"), new BigDecimal("0.030"));
    });
    assertThat(one("SELECT count() FROM DB.chargeback_daily WHERE status = 'OUT_OF_TOLERANCE'")).isEqualTo(off.rows().size());
  }

  @Test
  void rerunningADayReplacesItsResults() throws Exception {
    run(null);
    long rows = one("SELECT count() FROM DB.chargeback_daily");
    run(invoice("within.csv", new BigDecimal("1.01")));
    assertThat(one("SELECT count() FROM DB.chargeback_daily")).isEqualTo(rows);
    assertThat(one("SELECT uniqExact(run_id) FROM DB.chargeback_daily")).isEqualTo(1);
    assertThat(one("SELECT countIf(provider_cost_nanos IS NULL) FROM DB.chargeback_daily")).isZero();
    run(invoice("within.csv", new BigDecimal("1.01")));
    assertThat(one("SELECT count() FROM DB.chargeback_daily")).isEqualTo(rows);
  }

  @Test
  void focusExportHasEveryRequiredColumnWithValidValues() throws Exception {
    DayResult r = run(invoice("within.csv", new BigDecimal("1.01"))).getFirst();
    Path focus = out.resolve(DAY + "/focus.csv");
    CsvMapper csv = new CsvMapper();
    try (MappingIterator<Map<String, String>> it = csv.readerFor(Map.class).with(CsvSchema.emptySchema().withHeader())
        .readValues(focus.toFile())) {
      List<Map<String, String>> rows = it.readAll();
      assertThat(rows).hasSize(r.rows().size());
      BigDecimal billed = BigDecimal.ZERO;
      for (Map<String, String> row : rows) {
        assertThat(row.keySet()).containsAll(FocusVersion.V1_3.mandatory());
        assertThat(row.get("BillingCurrency")).matches("[A-Z]{3}");
        assertThat(row.get("ChargeCategory")).isIn("Usage", "Purchase", "Tax", "Credit", "Adjustment");
        assertThat(row.get("ChargeClass")).isIn("", "Correction");
        assertThat(row.get("ChargePeriodStart")).isEqualTo(DAY + "T00:00:00Z");
        assertThat(row.get("ChargePeriodEnd")).isEqualTo(DAY.plusDays(1) + "T00:00:00Z");
        assertThat(row.get("BillingPeriodStart")).isEqualTo(DAY.withDayOfMonth(1) + "T00:00:00Z");
        assertThat(row.get("ServiceCategory")).isEqualTo("AI and Machine Learning");
        assertThat(row.keySet()).allMatch(c -> FocusExport.header(FocusVersion.V1_3).contains(c));
        assertThat(row.get("ServiceProviderName")).isEqualTo("Anthropic");
        billed = billed.add(new BigDecimal(row.get("BilledCost")));
        assertThat(new BigDecimal(row.get("EffectiveCost"))).isEqualByComparingTo(row.get("BilledCost"));
      }
      assertThat(billed.movePointRight(9).longValueExact()).isEqualTo(r.billedTotalNanos());
    }
  }

  /** An invoice that is our cost per model × factor, split over two token types, in the CSV shape. */
  private Path invoice(String name, BigDecimal factor) throws Exception {
    StringBuilder b = new StringBuilder("date,model,token_type,cost_usd\n");
    ourByModel.forEach((model, nanos) -> {
      BigDecimal usd = BigDecimal.valueOf(nanos, 9).multiply(factor).setScale(9, java.math.RoundingMode.HALF_EVEN);
      BigDecimal input = usd.multiply(new BigDecimal("0.4")).setScale(9, java.math.RoundingMode.HALF_EVEN);
      b.append(DAY + ",").append(model).append("-20260101,input,").append(input.toPlainString()).append('\n');
      b.append(DAY + ",").append(model).append(",output,").append(usd.subtract(input).toPlainString()).append('\n');
    });
    b.append(DAY.minusDays(1) + ",claude-sonnet-4-6,input,1000.00\n");
    return Files.writeString(out.resolve(name), b.toString());
  }
}
