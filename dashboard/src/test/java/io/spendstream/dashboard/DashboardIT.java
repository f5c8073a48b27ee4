package io.spendstream.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendstream.testkit.ClickHouseEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.sink.schema.Migrator;
import io.spendstream.sink.schema.SchemaConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built-in dashboard over seeded ClickHouse data: the API's numbers, and the page in a real headless browser. Times
 * are relative to the minute the test starts, so the range, the UTC day and month of the budgets move with it.
 */
@ExtendWith(RealInfraExtension.class)
class DashboardIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final Budgets BUDGETS = new Budgets(new Budgets.TenantBudget(null, 1_000_000_000L), Map.of(
      "acme", new Budgets.TenantBudget(50_000_000L, 10_000_000_000L), "initech", new Budgets.TenantBudget(1_000_000_000L, null)));
  @TempDir Path dir;
  private Client client;
  private String db;
  private Dashboard dashboard;
  private Instant to;
  private Instant from;
  private String range;
  private final List<Call> calls = new ArrayList<>();

  private record Call(Instant ts, String tenant, long costNanos) {}

  @BeforeEach
  void seed(ClickHouseEndpoint ch) throws Exception {
    to = Instant.now().truncatedTo(ChronoUnit.MINUTES);
    from = to.minus(Duration.ofHours(1));
    range = "from=" + from + "&to=" + to;
    db = "dash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    client = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.user()).setPassword(ch.password()).build();
    client.execute("CREATE DATABASE " + db).get(30, TimeUnit.SECONDS).close();
    Migrator.migrate(client, SchemaConfig.singleNode(db));
    StringBuilder rows = new StringBuilder();
    String[] tenants = {"acme", "globex", "<script>alert(1)</script>"};
    for (int i = 0; i < 600; i++) { // one call every 6 s over the range: every tenant and route in every minute
      rows.append(call(new Call(from.plusSeconds(6L * i), tenants[i % 3], 1_000_000L * (1 + i % 7)), i % 2 == 0
          ? "claude-haiku-4-5" : "claude-sonnet-4-6", "/r" + i % 4, i % 2 == 0 ? 300 : 100, "d" + i));
    }
    // before the range: earlier today or yesterday, earlier this month or last month; they count for budgets only
    for (Duration ago : List.of(Duration.ofHours(2), Duration.ofHours(30), Duration.ofDays(3), Duration.ofDays(20))) {
      rows.append(call(new Call(to.minus(ago), "acme", 7_000_000L), "claude-haiku-4-5", "/r0", 0, "old-" + ago));
    }
    client.insert(db + ".llm_calls", new ByteArrayInputStream(rows.toString().getBytes(StandardCharsets.UTF_8)),
        ClickHouseFormat.JSONEachRow, new InsertSettings()).get(30, TimeUnit.SECONDS).close();
    StringBuilder alerts = new StringBuilder();
    alerts.append(alert("a1", "RETRY_STORM", "WARNING", "FIRING", "acme", from.plus(Duration.ofMinutes(20))));
    alerts.append(alert("a2", "COST_ANOMALY", "CRITICAL", "FIRING", "globex", from.plus(Duration.ofMinutes(45))));
    alerts.append(alert("a2", "COST_ANOMALY", "CRITICAL", "RESOLVED", "globex", from.plus(Duration.ofMinutes(50))));
    alerts.append(alert("a3", "BUDGET", "WARNING", "FIRING", "acme", from.plus(Duration.ofMinutes(55))));
    alerts.append(alert("a0", "ERROR_RATE", "WARNING", "FIRING", "acme", from.minus(Duration.ofMinutes(5)))); // before the range
    client.insert(db + ".alerts", new ByteArrayInputStream(alerts.toString().getBytes(StandardCharsets.UTF_8)),
        ClickHouseFormat.JSONEachRow, new InsertSettings()).get(30, TimeUnit.SECONDS).close();
    dashboard = Dashboard.start(ch.url(), ch.readOnlyUser(), ch.readOnlyPassword(), db, BUDGETS, "127.0.0.1", 0);
  }

  private String call(Call c, String model, String route, int cacheRead, String id) {
    calls.add(c);
    return String.format("{\"event_id\":\"%s\",\"ts\":\"%s\",\"tenant_id\":\"%s\",\"model\":\"%s\",\"route\":\"%s\","
        + "\"input_tokens\":100,\"cache_read_input_tokens\":%d,\"cost_nanos\":%d}%n", id, TS.format(c.ts()),
        c.tenant().replace("\"", "\\\""), model, route, cacheRead, c.costNanos());
  }

  private static String alert(String id, String type, String severity, String status, String tenant, Instant at) {
    return String.format("{\"alert_id\":\"%s\",\"type\":\"%s\",\"severity\":\"%s\",\"status\":\"%s\",\"tenant_id\":\"%s\","
        + "\"dimension\":\"route\",\"dimension_value\":\"/r1\",\"detected_at\":\"%s\",\"observed_value\":6,\"threshold\":5,"
        + "\"observed_unit\":\"calls\",\"cost_nanos\":22500000,\"message\":\"%s %s\"}%n", id, type, severity, status, tenant,
        TS.format(at), type, status);
  }

  /** What a tenant spent from {@code start} to the range's end, from the seeded calls. */
  private long spent(String tenant, Instant start) {
    return calls.stream().filter(c -> c.tenant().equals(tenant) && !c.ts().isBefore(start) && c.ts().isBefore(to))
        .mapToLong(Call::costNanos).sum();
  }

  @AfterEach
  void drop() throws Exception {
    dashboard.close();
    client.execute("DROP DATABASE IF EXISTS " + db).get(30, TimeUnit.SECONDS).close();
    client.close();
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port() + pathAndQuery)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @Test
  void apiSumsEqualClickHouseToTheNano() throws Exception {
    HttpResponse<String> r = get("/api/dashboard?" + range);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = JSON.readTree(r.body());
    long spendSum = 0;
    Set<String> tenants = new HashSet<>();
    for (JsonNode p : j.get("spend_per_minute")) {
      spendSum += p.get("cost_nanos").asLong();
      tenants.add(p.get("tenant").asText());
    }
    long expected = calls.stream().filter(c -> !c.ts().isBefore(from) && c.ts().isBefore(to)).mapToLong(Call::costNanos).sum();
    assertThat(spendSum).isEqualTo(expected);
    assertThat(tenants).hasSize(3);
    assertThat(j.get("spend_per_minute")).hasSize(3 * 60);
    assertThat(j.get("top_routes")).hasSize(4);
    long routeSum = 0;
    for (JsonNode p : j.get("top_routes")) {
      routeSum += p.get("cost_nanos").asLong();
    }
    assertThat(routeSum).isEqualTo(expected);
    // haiku: 300 cache-read of 400 input tokens per call; sonnet: 100 of 200
    assertThat(j.get("cache_hit_ratio").findValuesAsText("model")).containsExactly("claude-haiku-4-5", "claude-sonnet-4-6");
    assertThat(j.at("/cache_hit_ratio/0/ratio").asDouble()).isEqualTo(0.75);
    assertThat(j.at("/cache_hit_ratio/1/ratio").asDouble()).isEqualTo(0.5);
    // per route over time: 1-minute buckets for an hour; even routes are haiku calls, odd ones sonnet
    assertThat(j.get("cache_bucket_minutes").asInt()).isEqualTo(1);
    assertThat(j.get("cache_ratio_by_route").findValuesAsText("route")).containsExactly("/r0", "/r1", "/r2", "/r3");
    for (JsonNode series : j.get("cache_ratio_by_route")) {
      assertThat(series.get("points")).hasSize(60);
      double ratio = series.get("route").asText().equals("/r0") || series.get("route").asText().equals("/r2") ? 0.75 : 0.5;
      assertThat(series.get("points").findValues("ratio")).allMatch(v -> v.asDouble() == ratio);
    }
    assertBudgets(j);
    // every alert of the range on its type's lane, RESOLVED included; the one before the range is not there
    assertThat(j.get("alert_counts").toString()).isEqualTo("{\"BUDGET\":1,\"COST_ANOMALY\":2,\"RETRY_STORM\":1}");
    assertThat(j.get("alert_points")).hasSize(4);
    assertThat(j.get("alerts")).hasSize(4);
    assertThat(j.at("/alerts/0/type").asText()).isEqualTo("BUDGET");
    assertThat(j.at("/alerts/1/status").asText()).isEqualTo("RESOLVED");
    assertThat(get("/api/dashboard?from=yesterday").statusCode()).isEqualTo(400);
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  /** Spent against budget for the UTC day and month of the range's end, to the nano, for every tenant with a budget. */
  private void assertBudgets(JsonNode j) {
    Instant day = to.truncatedTo(ChronoUnit.DAYS);
    Instant month = to.atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    assertThat(j.get("budget_day").asText()).isEqualTo(day.toString().substring(0, 10));
    assertThat(j.get("budgets").findValuesAsText("tenant")).containsExactly("<script>alert(1)</script>", "acme", "globex",
        "initech");
    JsonNode acme = j.at("/budgets/1");
    assertThat(acme.get("daily_spent_nanos").asLong()).isEqualTo(spent("acme", day));
    assertThat(acme.get("monthly_spent_nanos").asLong()).isEqualTo(spent("acme", month));
    assertThat(acme.get("daily_budget_nanos").asLong()).isEqualTo(50_000_000L);
    assertThat(acme.get("daily_percent").decimalValue()).isEqualByComparingTo(BigDecimal.valueOf(spent("acme", day))
        .multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(50_000_000L), 1, RoundingMode.HALF_UP));
    JsonNode globex = j.at("/budgets/2"); // the default budget: monthly only
    assertThat(globex.get("daily_budget_nanos").isNull()).isTrue();
    assertThat(globex.get("monthly_spent_nanos").asLong()).isEqualTo(spent("globex", month));
    JsonNode initech = j.at("/budgets/3"); // a budget of its own and no calls yet
    assertThat(initech.get("daily_spent_nanos").asLong()).isZero();
    assertThat(initech.get("monthly_budget_nanos").isNull()).isTrue();
  }

  @Test
  void thePageDrawsInAHeadlessBrowser() throws Exception {
    String chromium = Chromium.binary();
    String url = "http://127.0.0.1:" + dashboard.port() + "/?" + range;
    List<String> common = List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=15000", "--window-size=1280,1000");
    String dom = Chromium.run(dir, concat(common, "--dump-dom", url));
    assertThat(dom).contains("data-ready=\"true\"");
    assertThat(count(dom, "class=\"series\"")).isEqualTo(3);
    assertThat(count(dom, "class=\"route-bar\"")).isEqualTo(4);
    assertThat(count(dom, "class=\"cache-bar\"")).isEqualTo(2);
    assertThat(count(dom, "class=\"cache-series\"")).isEqualTo(4);
    assertThat(count(dom, "class=\"budget-bar\"")).isEqualTo(5); // acme daily and monthly, initech daily, two monthly defaults
    assertThat(count(dom, "class=\"alert-row\"")).isEqualTo(4);
    assertThat(count(dom, "class=\"alert-lane\"")).isEqualTo(3);
    assertThat(count(dom, "class=\"alert-dot\"")).isEqualTo(4);
    assertThat(count(dom, "data-status=\"RESOLVED\"")).isEqualTo(1);
    // a hostile tenant name is shown as text, never run
    assertThat(dom).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)</script>");
    assertThat(dom).containsPattern("<span id=\"status\" class=\"muted\">updated [0-9:]+ UTC</span>");

    Path png = dir.resolve("dashboard.png");
    Chromium.run(dir, concat(common, "--screenshot=" + png, url));
    BufferedImage img = ImageIO.read(png.toFile());
    assertThat(img.getWidth()).isEqualTo(1280);
    assertThat(img.getHeight()).isEqualTo(1000);
    Set<Integer> colours = new HashSet<>();
    for (int x = 0; x < img.getWidth(); x += 4) {
      for (int y = 0; y < img.getHeight(); y += 4) {
        colours.add(img.getRGB(x, y));
      }
    }
    // a blank or unstyled page has a handful of colours; lines, bars and dots in six series colours have many more
    assertThat(colours.size()).as("distinct colours in the screenshot").isGreaterThan(30);
    Files.copy(png, Path.of("target", "dashboard-screenshot.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static List<String> concat(List<String> a, String... b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }
}
