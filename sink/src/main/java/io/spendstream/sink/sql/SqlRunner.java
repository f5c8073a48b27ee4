package io.spendstream.sink.sql;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.internal.BinaryStreamReader;
import com.clickhouse.client.api.metadata.TableSchema;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Runs one SQL statement with ClickHouse query parameters ({@code {name:Type}} in the text, values as strings)
 * and returns its rows as display text. Used by {@code spendstream sql} and by the on-call pack's tests.
 */
public final class SqlRunner {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS");

  private SqlRunner() {}

  public static SqlResult run(Client client, String database, String sql, Map<String, String> params) {
    String statement = stripTrailingSemicolon(sql);
    List<GenericRecord> records = client.queryAll(statement, new HashMap<>(params), new QuerySettings().setDatabase(database));
    if (records.isEmpty()) {
      return new SqlResult(columnsOf(client, database, statement, params), List.of());
    }
    TableSchema schema = records.getFirst().getSchema();
    List<String> columns = schema.getColumns().stream().map(c -> c.getColumnName()).toList();
    List<List<String>> rows = new ArrayList<>();
    for (GenericRecord r : records) {
      List<String> row = new ArrayList<>(columns.size());
      for (int i = 1; i <= columns.size(); i++) {
        row.add(text(r.getObject(i)));
      }
      rows.add(row);
    }
    return new SqlResult(columns, rows);
  }

  /** With no rows the client has no schema to show: ask ClickHouse for the result's columns instead. */
  private static List<String> columnsOf(Client client, String database, String statement, Map<String, String> params) {
    try {
      return client.queryAll("DESCRIBE (" + statement + ")", new HashMap<>(params), new QuerySettings().setDatabase(database))
          .stream().map(r -> r.getString("name")).toList();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  static String stripTrailingSemicolon(String sql) {
    String s = sql.strip();
    return s.endsWith(";") ? s.substring(0, s.length() - 1).strip() : s;
  }

  static String text(Object v) {
    if (v == null) {
      return "NULL";
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (v instanceof BinaryStreamReader.ArrayValue a) {
      return text(a.asList());
    }
    if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
      double d = ((Number) v).doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : BigDecimal.valueOf(d).toPlainString();
    }
    if (v instanceof ZonedDateTime z) {
      return TIME.format(z);
    }
    if (v instanceof OffsetDateTime o) {
      return TIME.format(o);
    }
    if (v instanceof Collection<?> c) {
      StringJoiner j = new StringJoiner(",", "[", "]");
      c.forEach(x -> j.add(text(x)));
      return j.toString();
    }
    if (v.getClass().isArray()) {
      StringJoiner j = new StringJoiner(",", "[", "]");
      for (int i = 0; i < Array.getLength(v); i++) {
        j.add(text(Array.get(v, i)));
      }
      return j.toString();
    }
    if (v instanceof Map<?, ?> m) {
      return m.toString();
    }
    return v.toString();
  }
}
