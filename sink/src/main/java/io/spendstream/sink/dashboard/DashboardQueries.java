package io.spendstream.sink.dashboard;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.pricing.Money;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's data, one JSON document for a time range: spend per tenant per minute, spend per route (top 8),
 * cache hit ratio per model (cache reads / all input tokens), and the alerts of the range. Money is sent as
 * integer nano-USD plus an exact USD string for labels; only the drawing turns it into pixels.
 */
public final class DashboardQueries {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
  private static final String RANGE = "ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')}";
  private final Client client;
  private final String database;

  public DashboardQueries(Client client, String database) {
    this.client = client;
    this.database = database;
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
    ArrayNode alerts = out.putArray("alerts");
    for (GenericRecord r : query("SELECT detected_at, type, severity, tenant_id, dimension, dimension_value, cost_nanos, message"
        + " FROM alerts FINAL WHERE detected_at >= {from:DateTime64(3, 'UTC')} AND detected_at < {to:DateTime64(3, 'UTC')}"
        + " ORDER BY detected_at DESC LIMIT 50", p)) {
      alerts.addObject().put("t", r.getZonedDateTime(1).toInstant().toString()).put("type", r.getString(2))
          .put("severity", r.getString(3)).put("tenant", r.getString(4)).put("what", r.getString(5) + "=" + r.getString(6))
          .put("cost_usd", Money.usd(r.getLong(7))).put("message", r.getString(8));
    }
    return out;
  }

  private List<GenericRecord> query(String sql, Map<String, Object> params) {
    return client.queryAll(sql, params, new QuerySettings().setDatabase(database));
  }
}
