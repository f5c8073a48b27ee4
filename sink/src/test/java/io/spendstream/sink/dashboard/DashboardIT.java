package io.spendstream.sink.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendstream.infra.testkit.ClickHouseEndpoint;
import io.spendstream.infra.testkit.RealInfraExtension;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The built-in dashboard over seeded ClickHouse data: the API's numbers, and the page in a real headless browser. */
@ExtendWith(RealInfraExtension.class)
class DashboardIT {
  private static final String RANGE = "from=2026-11-20T10:00:00Z&to=2026-11-20T11:00:00Z";
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private Client client;
  private String db;
  private Dashboard dashboard;

  @BeforeEach
  void seed(ClickHouseEndpoint ch) throws Exception {
    db = "dash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    client = new Client.Builder().addEndpoint(ch.url()).setUsername(ch.user()).setPassword(ch.password()).build();
    client.execute("CREATE DATABASE " + db).get(30, TimeUnit.SECONDS).close();
    Migrator.migrate(client, SchemaConfig.singleNode(db));
    StringBuilder calls = new StringBuilder();
    String[] tenants = {"acme", "globex", "<script>alert(1)</script>"};
    for (int i = 0; i < 600; i++) {
      String tenant = tenants[i % 3];
      calls.append(String.format("{\"event_id\":\"d%d\",\"ts\":\"2026-11-20 10:%02d:%02d.000\",\"tenant_id\":\"%s\",\"model\":\"%s\","
          + "\"route\":\"/r%d\",\"input_tokens\":100,\"cache_read_input_tokens\":%d,\"cost_nanos\":%d}%n", i, i / 10, i % 60,
          tenant.replace("\"", "\\\""), i % 2 == 0 ? "claude-haiku-4-5" : "claude-sonnet-4-6", i % 4, i % 2 == 0 ? 300 : 100,
          1_000_000L * (1 + i % 7)));
    }
    client.insert(db + ".llm_calls", new ByteArrayInputStream(calls.toString().getBytes(StandardCharsets.UTF_8)),
        ClickHouseFormat.JSONEachRow, new InsertSettings()).get(30, TimeUnit.SECONDS).close();
    String alerts = """
        {"alert_id":"a1","type":"RETRY_STORM","severity":"WARNING","status":"FIRING","tenant_id":"acme","dimension":"prompt_hash","dimension_value":"3f9a","detected_at":"2026-11-20 10:20:00.000","observed_value":6,"threshold":5,"observed_unit":"calls","cost_nanos":22500000,"message":"6 calls"}
        {"alert_id":"a2","type":"COST_ANOMALY","severity":"CRITICAL","status":"FIRING","tenant_id":"globex","dimension":"route","dimension_value":"/r1","detected_at":"2026-11-20 10:45:00.000","observed_value":20000000000,"threshold":2700000000,"observed_unit":"nano_usd","cost_nanos":20000000000,"message":"spike"}
        """;
    client.insert(db + ".alerts", new ByteArrayInputStream(alerts.getBytes(StandardCharsets.UTF_8)), ClickHouseFormat.JSONEachRow,
        new InsertSettings()).get(30, TimeUnit.SECONDS).close();
    dashboard = Dashboard.start(ch.url(), ch.readOnlyUser(), ch.readOnlyPassword(), db, "127.0.0.1", 0);
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
    HttpResponse<String> r = get("/api/dashboard?" + RANGE);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode j = JSON.readTree(r.body());
    long spendSum = 0;
    Set<String> tenants = new HashSet<>();
    for (JsonNode p : j.get("spend_per_minute")) {
      spendSum += p.get("cost_nanos").asLong();
      tenants.add(p.get("tenant").asText());
    }
    long expected = client.queryAll("SELECT sum(cost_nanos) FROM " + db + ".llm_calls").getFirst().getLong(1);
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
    assertThat(j.get("alerts")).hasSize(2);
    assertThat(j.at("/alerts/0/type").asText()).isEqualTo("COST_ANOMALY");
    assertThat(get("/api/dashboard?from=yesterday").statusCode()).isEqualTo(400);
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void thePageDrawsInAHeadlessBrowser() throws Exception {
    String chromium = Chromium.binary();
    String url = "http://127.0.0.1:" + dashboard.port() + "/?" + RANGE;
    List<String> common = List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--user-data-dir=" + dir.resolve("profile"), "--virtual-time-budget=15000", "--window-size=1280,1000");
    String dom = Chromium.run(dir, concat(common, "--dump-dom", url));
    assertThat(dom).contains("data-ready=\"true\"");
    assertThat(count(dom, "class=\"series\"")).isEqualTo(3);
    assertThat(count(dom, "class=\"route-bar\"")).isEqualTo(4);
    assertThat(count(dom, "class=\"cache-bar\"")).isEqualTo(2);
    assertThat(count(dom, "class=\"alert-row\"")).isEqualTo(2);
    assertThat(count(dom, "class=\"alert-dot\"")).isEqualTo(2);
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
