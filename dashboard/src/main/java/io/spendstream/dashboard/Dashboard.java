package io.spendstream.dashboard;

import com.clickhouse.client.api.Client;
import com.sun.net.httpserver.HttpExchange;
import io.spendstream.ops.Failures;
import io.spendstream.ops.OpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small built-in dashboard: {@code /} is one self-contained page (no external scripts: it must work on a
 * machine without internet) that draws spend per tenant and route over time, spend against budget, cache hit ratio by
 * model and by route over time, and the alerts timeline with a lane per type, from {@code /api/dashboard?minutes=60} (or {@code from}/{@code to}, RFC 3339), refreshing every 5 s.
 * It reads ClickHouse as the user it is given (the read-only on-call user in the local stack).
 */
public final class Dashboard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
  private final Client client;
  private final OpsServer http;

  private Dashboard(Client client, OpsServer http) {
    this.client = client;
    this.http = http;
  }

  public static Dashboard start(String clickhouseUrl, String user, String password, String database, Budgets budgets,
      String host, int port) {
    Client client = new Client.Builder().addEndpoint(clickhouseUrl).setUsername(user).setPassword(password).setMaxRetries(0).build();
    DashboardQueries queries = new DashboardQueries(client, database, budgets);
    byte[] page = page();
    OpsServer http = OpsServer.start(host, port, () -> true, () -> true, () -> "RUNNING", () -> "");
    http.handle("/api/dashboard", ex -> api(ex, queries));
    http.handle("/", ex -> {
      if (!ex.getRequestURI().getPath().equals("/")) {
        OpsServer.respond(ex, 404, "text/plain", "not found");
        return;
      }
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, page.length);
      try (var out = ex.getResponseBody()) {
        out.write(page);
      }
    });
    LOG.info("event=started clickhouse={} database={} user={} budgets_for={} url=http://{}:{}/", clickhouseUrl, database, user,
        budgets.defaults().any() ? "every tenant" : budgets.tenants().keySet(), host, http.port());
    return new Dashboard(client, http);
  }

  private static void api(HttpExchange ex, DashboardQueries queries) throws IOException {
    Map<String, String> q = query(ex.getRequestURI());
    Instant to;
    Instant from;
    try {
      to = q.containsKey("to") ? Instant.parse(q.get("to")) : Instant.now();
      long minutes = Long.parseLong(q.getOrDefault("minutes", "60"));
      if (minutes < 1 || minutes > 7 * 24 * 60) {
        throw new IllegalArgumentException("minutes must be 1..10080");
      }
      from = q.containsKey("from") ? Instant.parse(q.get("from")) : to.minus(Duration.ofMinutes(minutes));
    } catch (DateTimeParseException | IllegalArgumentException e) {
      OpsServer.respond(ex, 400, "application/json", "{\"error\":\"bad_range\",\"message\":\"from/to must be RFC 3339 instants,"
          + " minutes a whole number 1..10080\"}");
      return;
    }
    try {
      OpsServer.respond(ex, 200, "application/json", queries.range(from, to).toString());
    } catch (RuntimeException e) {
      LOG.warn("event=dashboard_query_failed cause=\"{}\"", Failures.rootMessage(e));
      OpsServer.respond(ex, 503, "application/json", "{\"error\":\"clickhouse_unavailable\",\"message\":\"ClickHouse did not answer\"}");
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String kv : raw.split("&")) {
        int eq = kv.indexOf('=');
        if (eq > 0) {
          out.put(kv.substring(0, eq), java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return out;
  }

  private static byte[] page() {
    try (InputStream in = Dashboard.class.getResourceAsStream("/io/spendstream/dashboard/dashboard.html")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.html is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return http.port();
  }

  @Override
  public void close() {
    http.close();
    client.close();
  }
}
