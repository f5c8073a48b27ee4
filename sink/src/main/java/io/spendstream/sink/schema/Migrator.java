package io.spendstream.sink.schema;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import io.spendstream.ops.Failures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a ClickHouse database to the current schema: creates the database and the {@code schema_migrations}
 * table, then applies, in order, every migration not recorded there, and records it. Every statement is
 * idempotent (IF NOT EXISTS), so a run that died halfway is simply run again; two sinks starting at once
 * do no harm. A recorded migration whose file has changed since is an error: migrations are append-only.
 */
public final class Migrator {
  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

  private Migrator() {}

  /** Applies what is missing; returns the migrations applied by this call. */
  public static List<Migration> migrate(Client client, SchemaConfig config) {
    String db = config.database();
    String on = DdlRenderer.onCluster(config);
    execute(client, "CREATE DATABASE IF NOT EXISTS " + db + " " + on);
    execute(client, DdlRenderer.render("""
        CREATE TABLE IF NOT EXISTS ${local:schema_migrations} ${on_cluster}
        (
            version    UInt32,
            name       String,
            checksum   String,
            applied_at DateTime64(3, 'UTC')
        )
        ENGINE = ${engine:ReplacingMergeTree(applied_at)}
        ORDER BY version;
        -- distributed: schema_migrations rand()
        """, config).toArray(String[]::new));
    Map<Integer, String> applied = new HashMap<>();
    for (GenericRecord r : query(client, "SELECT version, checksum FROM " + db + ".schema_migrations FINAL")) {
      applied.put(r.getInteger("version"), r.getString("checksum"));
    }
    List<Migration> done = new ArrayList<>();
    for (Migration m : Migrations.all()) {
      String recorded = applied.get(m.version());
      if (recorded != null) {
        if (!recorded.equals(m.checksum())) {
          throw new MigrationException("migration V" + m.version() + " (" + m.name() + ") was changed after it was"
              + " applied to " + db + "; add a new migration instead of editing an applied one", null);
        }
        continue;
      }
      long t0 = System.nanoTime();
      for (String statement : m.statements(config)) {
        execute(client, statement);
      }
      execute(client, "INSERT INTO " + db + ".schema_migrations SELECT " + m.version() + ", '" + m.name() + "', '"
          + m.checksum() + "', now64(3)");
      LOG.info("event=migration_applied database={} version={} name={} took_ms={}", db, m.version(), m.name(),
          (System.nanoTime() - t0) / 1_000_000);
      done.add(m);
    }
    return done;
  }

  private static void execute(Client client, String... statements) {
    for (String sql : statements) {
      try {
        client.execute(sql).get(60, TimeUnit.SECONDS).close();
      } catch (Exception e) {
        throw new MigrationException("ClickHouse refused: " + firstLine(sql) + " ...: " + Failures.rootMessage(e), e);
      }
    }
  }

  private static List<GenericRecord> query(Client client, String sql) {
    try {
      return client.queryAll(sql);
    } catch (RuntimeException e) {
      throw new MigrationException("ClickHouse refused: " + sql + ": " + Failures.rootMessage(e), e);
    }
  }

  private static String firstLine(String sql) {
    return sql.lines().findFirst().orElse(sql);
  }
}
