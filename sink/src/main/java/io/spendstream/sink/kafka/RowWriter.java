package io.spendstream.sink.kafka;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;

/**
 * Where the sink's inserts go: one JSONEachRow body into a table under a deduplication token, returning once it is
 * acknowledged. In production the ClickHouse client ({@link #clickhouse}); a wrapper can observe every acknowledged
 * insert (the crash test halts its JVM after one, before the batch's commit).
 */
@FunctionalInterface
public interface RowWriter {
  /** Throws what the client throws: the worker tells refusals (split the rows) from unavailability (retry). */
  void insert(String table, byte[] jsonEachRow, String token) throws Exception;

  static RowWriter clickhouse(Client client, String database) {
    return (table, rows, token) -> client.insert(database + "." + table, new ByteArrayInputStream(rows),
        ClickHouseFormat.JSONEachRow, new InsertSettings().setDeduplicationToken(token)).get(60, TimeUnit.SECONDS).close();
  }
}
