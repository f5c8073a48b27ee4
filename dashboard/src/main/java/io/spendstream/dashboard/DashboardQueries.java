package io.spendstream.dashboard;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.pricing.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's data, one JSON document for a time range: spend per tenant per minute, spend per route (top 8),
 * cache hit ratio per model and per route over time, spend against budget per tenant (the UTC day and month of the
 * range's end), and the alerts of the range by type. Cache hit ratio has one definition everywhere (detector, SQL
 * pack, here): cache reads / (input + cache reads + cache creation). Money is sent as integer nano-USD plus an exact
 * USD string for labels; only the drawing turns it into pixels.
 */
public final class DashboardQueries {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final String RANGE = "ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}";
  /** Time buckets of the over-time series: the smallest that keeps a range to at most 120 points. */
  private static final List<Integer> BUCKET_MINUTES = List.of(1, 5, 15, 60, 360);
  private static final int CACHE_ROUTES = 6;
  private static final int ALERT_POINTS = 2_000;
  private final Client client;
  private final String database;
  private final Budgets budgets;

  public DashboardQueries(Client client, String database, Budgets budgets) {
    this.client = client;
    this.database = database;
    this.budgets = budgets;
  }

  public ObjectNode range(Instant from, Instant to) {
    Map<String, Object> p = new HashMap<>();
    p.put("from", TS.format(from));
    p.put("to", TS.format(to));
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("from", from.toString()).put("to", to.toString());
    ArrayNode spend = out.putArray("spend_per_minute");
    for (GenericRecord r : query("SELECT toStartOfMinute(ts) AS t, tenant_id, sum(toInt128(cost_nanos)) FROM llm_calls WHERE " + RANGE
        + " GROUP BY t, tenant_id ORDER BY t, tenant_id", p)) {
      spend.addObject().put("t", r.getZonedDateTime(1).toInstant().toString()).put("tenant", r.getString(2))
          .put("cost_nanos", Money.exactNanos(r.getBigInteger(3)));
    }
    ArrayNode routes = out.putArray("top_routes");
    for (GenericRecord r : query("SELECT route, sum(toInt128(cost_nanos)) AS c, count() FROM llm_calls WHERE " + RANGE
        + " GROUP BY route ORDER BY c DESC, route LIMIT 8", p)) {
      long c = Money.exactNanos(r.getBigInteger(2));
      routes.addObject().put("route", r.getString(1)).put("cost_nanos", c).put("cost_usd", Money.usd(c))
          .put("calls", r.getLong(3));
    }
    ArrayNode cache = out.putArray("cache_hit_ratio");
    for (GenericRecord r : query("SELECT model, sum(cache_read_input_tokens),"
        + " sum(input_tokens + cache_read_input_tokens + cache_creation_input_tokens) AS all_input FROM llm_calls WHERE " + RANGE
        + " GROUP BY model HAVING all_input > 0 ORDER BY model", p)) {
      long read = r.getLong(2);
      long all = r.getLong(3);
      cache.addObject().put("model", r.getString(1)).put("cache_read_tokens", read).put("input_tokens_all", all)
          .put("ratio", (double) read / all);
    }
    cacheByRoute(out, from, to, p);
    budgets(out, to);
    alerts(out, p);
    return out;
  }

  /** Cache hit ratio per route over time, for the routes with the most input-side tokens in the range. */
  private void cacheByRoute(ObjectNode out, Instant from, Instant to, Map<String, Object> p) {
    long minutes = Math.max(1, Duration.between(from, to).toMinutes());
    int bucket = BUCKET_MINUTES.stream().filter(b -> minutes / b <= 120).findFirst().orElse(BUCKET_MINUTES.getLast());
    Map<String, Object> q = new HashMap<>(p);
    q.put("bucket", bucket);
    q.put("routes", CACHE_ROUTES);
    out.put("cache_bucket_minutes", bucket);
    ArrayNode series = out.putArray("cache_ratio_by_route");
    ObjectNode current = null;
    for (GenericRecord r : query("SELECT route, toStartOfInterval(ts, INTERVAL {bucket:UInt32} MINUTE) AS t,"
        + " sum(cache_read_input_tokens), sum(input_tokens + cache_read_input_tokens + cache_creation_input_tokens) AS all_input"
        + " FROM llm_calls WHERE " + RANGE + " AND route IN (SELECT route FROM llm_calls WHERE " + RANGE + " GROUP BY route"
        + " ORDER BY sum(input_tokens + cache_read_input_tokens + cache_creation_input_tokens) DESC, route LIMIT {routes:UInt32})"
        + " GROUP BY route, t HAVING all_input > 0 ORDER BY route, t", q)) {
      if (current == null || !current.get("route").asText().equals(r.getString(1))) {
        current = series.addObject().put("route", r.getString(1));
        current.putArray("points");
      }
      long read = r.getLong(3);
      long all = r.getLong(4);
      ((ArrayNode) current.get("points")).addObject().put("t", r.getZonedDateTime(2).toInstant().toString())
          .put("cache_read_tokens", read).put("input_tokens_all", all).put("ratio", (double) read / all);
    }
  }

  /**
   * Spent against budget per tenant for the UTC day and month that hold {@code to}: whole hours from the hourly
   * rollup, the current hour from the calls (a month of calls would be read every 5 s otherwise). Tenants with a
   * budget of their own are listed even before their first call of the month.
   */
  private void budgets(ObjectNode out, Instant to) {
    ZonedDateTime end = to.atZone(ZoneOffset.UTC);
    Instant day = end.truncatedTo(ChronoUnit.DAYS).toInstant();
    Instant month = end.toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant hour = end.truncatedTo(ChronoUnit.HOURS).toInstant();
    Map<String, Object> q = new HashMap<>();
    q.put("month", TS.format(month));
    q.put("day", TS.format(day));
    q.put("hour", TS.format(hour));
    q.put("to", TS.format(to));
    Map<String, long[]> spent = new TreeMap<>();
    budgets.tenants().forEach((tenant, b) -> {
      if (b.any()) {
        spent.put(tenant, new long[2]);
      }
    });
    for (GenericRecord r : query("SELECT tenant_id, sumIf(c, t >= {day:DateTime64(3, 'UTC')}), sum(c) FROM ("
        + " SELECT tenant_id, toDateTime64(hour, 3, 'UTC') AS t, toInt128(cost_nanos) AS c FROM llm_calls_hourly"
        + " WHERE hour >= {month:DateTime64(3, 'UTC')} AND hour < {hour:DateTime64(3, 'UTC')}"
        + " UNION ALL SELECT tenant_id, ts AS t, toInt128(cost_nanos) AS c FROM llm_calls"
        + " WHERE ts >= {hour:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}) GROUP BY tenant_id", q)) {
      if (budgets.of(r.getString(1)).isPresent()) {
        spent.put(r.getString(1), new long[] {Money.exactNanos(r.getBigInteger(2)), Money.exactNanos(r.getBigInteger(3))});
      }
    }
    out.put("budget_day", day.toString().substring(0, 10)).put("budget_month", month.toString().substring(0, 7));
    ArrayNode rows = out.putArray("budgets");
    spent.forEach((tenant, s) -> {
      Budgets.TenantBudget b = budgets.of(tenant).orElseThrow();
      ObjectNode row = rows.addObject().put("tenant", tenant);
      period(row, "daily", s[0], b.dailyNanos());
      period(row, "monthly", s[1], b.monthlyNanos());
    });
  }

  private static void period(ObjectNode row, String name, long spentNanos, Long budgetNanos) {
    row.put(name + "_spent_nanos", spentNanos).put(name + "_spent_usd", Money.usd(spentNanos));
    if (budgetNanos == null) {
      row.putNull(name + "_budget_nanos");
      return;
    }
    row.put(name + "_budget_nanos", budgetNanos).put(name + "_budget_usd", Money.usd(budgetNanos))
        .put(name + "_percent", BigDecimal.valueOf(spentNanos).multiply(BigDecimal.valueOf(100))
            .divide(BigDecimal.valueOf(budgetNanos), 1, RoundingMode.HALF_UP));
  }

  /** The alerts of the range: every one as a point on its type's lane (up to 2,000), counts per type, the last 50. */
  private void alerts(ObjectNode out, Map<String, Object> p) {
    String where = " FROM alerts FINAL WHERE detected_at >= {from:DateTime64(3, 'UTC')} AND detected_at < {to:DateTime64(3, 'UTC')}";
    ObjectNode counts = out.putObject("alert_counts");
    for (GenericRecord r : query("SELECT type, count()" + where + " GROUP BY type ORDER BY type", p)) {
      counts.put(r.getString(1), r.getLong(2));
    }
    ArrayNode points = out.putArray("alert_points");
    for (GenericRecord r : query("SELECT detected_at, type, severity, status" + where + " ORDER BY detected_at DESC LIMIT "
        + ALERT_POINTS, p)) {
      points.addObject().put("t", r.getZonedDateTime(1).toInstant().toString()).put("type", r.getString(2))
          .put("severity", r.getString(3)).put("status", r.getString(4));
    }
    ArrayNode alerts = out.putArray("alerts");
    for (GenericRecord r : query("SELECT detected_at, type, severity, status, tenant_id, dimension, dimension_value, cost_nanos,"
        + " message" + where + " ORDER BY detected_at DESC LIMIT 50", p)) {
      alerts.addObject().put("t", r.getZonedDateTime(1).toInstant().toString()).put("type", r.getString(2))
          .put("severity", r.getString(3)).put("status", r.getString(4)).put("tenant", r.getString(5))
          .put("what", r.getString(6) + "=" + r.getString(7)).put("cost_usd", Money.usd(r.getLong(8))).put("message", r.getString(9));
    }
  }

  private List<GenericRecord> query(String sql, Map<String, Object> params) {
    return client.queryAll(sql, params, new QuerySettings().setDatabase(database));
  }
}
