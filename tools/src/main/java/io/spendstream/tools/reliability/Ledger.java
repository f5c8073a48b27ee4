package io.spendstream.tools.reliability;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What ClickHouse holds for one tenant, read through the official client as an on-call engineer would: rows per
 * event_id, and final one-minute windows against the same sums taken from the raw rows.
 */
final class Ledger {
  private final Client client;
  private final String db;

  Ledger(Client client, String database) {
    this.client = client;
    this.db = database;
  }

  /** Distinct event ids of the tenant in llm_calls (what "has arrived" means while waiting). */
  long distinctEvents(String tenant) {
    return single("SELECT toInt64(uniqExact(event_id)) AS n FROM " + db + ".llm_calls WHERE tenant_id = {t:String}", tenant);
  }

  /** Rows per event id of the tenant. */
  Map<String, Long> rowsPerEvent(String tenant) {
    Map<String, Long> rows = new HashMap<>();
    for (GenericRecord r : client.queryAll("SELECT event_id, toInt64(count()) AS n FROM " + db + ".llm_calls WHERE tenant_id = {t:String}"
        + " GROUP BY event_id", Map.of("t", tenant))) {
      rows.put(r.getString("event_id"), r.getLong("n"));
    }
    return rows;
  }

  long rowsWith(String tenant, String column, String value) {
    return client.queryAll("SELECT toInt64(count()) AS n FROM " + db + ".llm_calls WHERE tenant_id = {t:String} AND " + column
        + " = {v:String}", Map.of("t", tenant, "v", value)).getFirst().getLong("n");
  }

  long unpricedZeroCost(String tenant, String model) {
    return client.queryAll("SELECT toInt64(count()) AS n FROM " + db + ".llm_calls WHERE tenant_id = {t:String} AND model = {m:String}"
        + " AND price_status = 'UNPRICED_MODEL' AND cost_nanos = 0", Map.of("t", tenant, "m", model)).getFirst().getLong("n");
  }

  /** One-minute windows compared with the raw rows: how many minutes × route × model, and which differ. */
  record WindowCheck(int windows, List<String> differences) {}

  WindowCheck windows(String tenant) {
    Map<String, String> raw = sums("SELECT route, model, toInt64(toUnixTimestamp(toStartOfMinute(ts))) AS m,"
        + " toInt64(count()) AS calls, toInt64(sum(input_tokens)) AS i, toInt64(sum(output_tokens)) AS o,"
        + " toInt64(sum(cache_read_input_tokens)) AS cr, toInt64(sum(cache_creation_input_tokens)) AS cw, sum(toInt128(cost_nanos)) AS c FROM " + db + ".llm_calls WHERE tenant_id = {t:String}"
        + " GROUP BY route, model, m", tenant);
    Map<String, String> windows = sums("SELECT route, model, toInt64(intDiv(toUnixTimestamp64Milli(window_start), 1000)) AS m,"
        + " toInt64(calls) AS calls, toInt64(input_tokens) AS i, toInt64(output_tokens) AS o, toInt64(cache_read_input_tokens) AS cr,"
        + " toInt64(cache_creation_input_tokens) AS cw, cost_nanos AS c FROM " + db + ".cost_windows WHERE tenant_id = {t:String} AND window_size_ms = 60000", tenant);
    List<String> differences = new java.util.ArrayList<>();
    for (String k : union(raw.keySet(), windows.keySet())) {
      String r = raw.get(k);
      String w = windows.get(k);
      if (r == null || !r.equals(w)) {
        differences.add("%s raw=%s window=%s".formatted(k, r, w));
      }
    }
    return new WindowCheck(raw.size(), differences);
  }

  private Map<String, String> sums(String sql, String tenant) {
    Map<String, String> out = new HashMap<>();
    for (GenericRecord r : client.queryAll(sql, Map.of("t", tenant))) {
      out.put(r.getString("route") + " | " + r.getString("model") + " | " + r.getLong("m"),
          "calls=%d in=%d out=%d cache_read=%d cache_write=%d cost_nanos=%d".formatted(r.getLong("calls"), r.getLong("i"),
              r.getLong("o"), r.getLong("cr"), r.getLong("cw"), io.spendstream.pricing.Money.exactNanos(r.getBigInteger("c"))));
    }
    return out;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new java.util.TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  private long single(String sql, String tenant) {
    return client.queryAll(sql, Map.of("t", tenant)).getFirst().getLong("n");
  }
}
