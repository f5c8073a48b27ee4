package io.spendstream.sink.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * Where and how the ClickHouse schema is created. {@code cluster} null: one node, plain MergeTree engines.
 * {@code cluster} set: every table is created {@code ON CLUSTER} as {@code <name>_local} with the
 * Replicated engine, plus a Distributed table {@code <name>} over it, so queries read the same names.
 */
public record SchemaConfig(String database, int ttlDays, String cluster) {
  public static final int DEFAULT_TTL_DAYS = 400;

  public SchemaConfig {
    List<String> p = new ArrayList<>();
    if (database == null || !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      p.add("database: letters, digits and '_' only, not starting with a digit");
    }
    if (ttlDays < 1 || ttlDays > 36_500) {
      p.add("ttl_days: must be 1..36500");
    }
    if (cluster != null && !cluster.matches("[A-Za-z0-9_.-]+")) {
      p.add("cluster: letters, digits, '_', '.' and '-' only");
    }
    if (!p.isEmpty()) {
      throw new IllegalArgumentException("invalid ClickHouse schema config: " + String.join("; ", p));
    }
  }

  public static SchemaConfig singleNode(String database) {
    return new SchemaConfig(database, DEFAULT_TTL_DAYS, null);
  }

  public boolean clustered() {
    return cluster != null;
  }
}
