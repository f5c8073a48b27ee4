package io.spendstream.chargeback.clickhouse;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import io.spendstream.chargeback.usage.DayUsage;
import io.spendstream.chargeback.usage.Usage;
import io.spendstream.chargeback.usage.UsageKey;
import io.spendstream.pricing.Money;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one UTC day from the three paths, per tenant × model × hour. The stream path is read from the smallest
 * window size of that day that divides an hour (1 min by default), so the hour sums are exact.
 */
public final class UsageQueries {
  private static final String SUMS = "count() AS calls, sum(input_tokens), sum(output_tokens), sum(cache_read_input_tokens),"
      + " sum(cache_creation_input_tokens), sum(toInt128(cost_nanos))";
  private static final String CALLS = "SELECT tenant_id, model, toStartOfHour(ts) AS hour, " + SUMS + " FROM llm_calls"
      + " WHERE ts >= {from:DateTime64(3, 'UTC')} AND ts < {to:DateTime64(3, 'UTC')} GROUP BY tenant_id, model, hour";
  private static final String WINDOW_SIZES = "SELECT DISTINCT window_size_ms FROM cost_windows_shards"
      + " WHERE window_start >= {from:DateTime64(3, 'UTC')} AND window_start < {to:DateTime64(3, 'UTC')}"
      + " AND 3600000 % window_size_ms = 0 ORDER BY window_size_ms";
  private static final String WINDOWS = "SELECT tenant_id, model, toStartOfHour(window_start) AS hour, sum(calls),"
      + " sum(input_tokens), sum(output_tokens), sum(cache_read_input_tokens), sum(cache_creation_input_tokens), sum(toInt128(cost_nanos))"
      + " FROM cost_windows WHERE window_size_ms = {size:UInt32} AND window_start >= {from:DateTime64(3, 'UTC')}"
      + " AND window_start < {to:DateTime64(3, 'UTC')} GROUP BY tenant_id, model, hour";
  private static final String ROLLUP = "SELECT tenant_id, model, hour, sum(calls), sum(input_tokens), sum(output_tokens),"
      + " sum(cache_read_input_tokens), sum(cache_creation_input_tokens), sum(toInt128(cost_nanos)) FROM llm_calls_hourly"
      + " WHERE hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')} GROUP BY tenant_id, model, hour";

  private final Client client;
  private final String database;

  public UsageQueries(Client client, String database) {
    this.client = client;
    this.database = database;
  }

  public DayUsage day(LocalDate day) {
    Map<String, Object> p = new HashMap<>();
    p.put("from", day + " 00:00:00.000");
    p.put("to", day.plusDays(1) + " 00:00:00.000");
    Map<String, Object> hours = Map.of("from", day + " 00:00:00", "to", day.plusDays(1) + " 00:00:00");
    List<GenericRecord> sizes = query(WINDOW_SIZES, p);
    long size = sizes.isEmpty() ? 0 : sizes.getFirst().getLong(1);
    Map<UsageKey, Usage> windows = Map.of();
    if (size > 0) {
      Map<String, Object> w = new HashMap<>(p);
      w.put("size", size);
      windows = usage(query(WINDOWS, w));
    }
    return new DayUsage(usage(query(CALLS, p)), windows, usage(query(ROLLUP, hours)), size);
  }

  private List<GenericRecord> query(String sql, Map<String, Object> params) {
    return client.queryAll(sql, params, new QuerySettings().setDatabase(database));
  }

  private static Map<UsageKey, Usage> usage(List<GenericRecord> records) {
    Map<UsageKey, Usage> out = new HashMap<>();
    for (GenericRecord r : records) {
      UsageKey k = new UsageKey(r.getString(1), r.getString(2), r.getZonedDateTime(3).withZoneSameInstant(ZoneOffset.UTC).toInstant());
      out.merge(k, new Usage(r.getLong(4), r.getLong(5), r.getLong(6), r.getLong(7), r.getLong(8), Money.exactNanos(r.getBigInteger(9))), Usage::plus);
    }
    return out;
  }
}
