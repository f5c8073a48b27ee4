package io.spendstream.sink.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a migration file into statements for one node or a cluster. Placeholders:
 * <ul>
 *   <li>{@code ${local:NAME}}: the table as stored on a node: {@code db.NAME}, or {@code db.NAME_local} on a cluster;
 *   <li>{@code ${table:NAME}}: the table people query: {@code db.NAME} (the Distributed one on a cluster);
 *   <li>{@code ${engine:E(args)}}: {@code E(args)}, or {@code ReplicatedE('/clickhouse/tables/{shard}/db/NAME_local',
 *       '{replica}', args)} on a cluster, NAME being the table the statement creates;
 *   <li>{@code ${on_cluster}}, {@code ${db}}, {@code ${ttl_days}}, {@code ${dedup_window_setting}} (the setting that
 *       makes {@code insert_deduplication_token} work: non-replicated or replicated deduplication window).
 * </ul>
 * A line {@code -- distributed: NAME SHARDING_KEY} after a statement adds, on a cluster, the Distributed table
 * NAME over NAME_local. Statements end with a semicolon at the end of a line; other comment lines are dropped.
 */
public final class DdlRenderer {
  /** How many recent insert tokens (batches) a table remembers; a retried batch older than this would land twice. */
  public static final int DEDUP_WINDOW = 10_000;
  private static final Pattern LOCAL = Pattern.compile("\\$\\{local:([A-Za-z0-9_]+)}");
  private static final Pattern TABLE = Pattern.compile("\\$\\{table:([A-Za-z0-9_]+)}");
  private static final Pattern ENGINE = Pattern.compile("\\$\\{engine:([A-Za-z]+)\\(([^)]*)\\)}");
  private static final Pattern DISTRIBUTED = Pattern.compile("--\\s*distributed:\\s*([A-Za-z0-9_]+)\\s+(.+)");
  private static final Pattern LEFTOVER = Pattern.compile("\\$\\{[^}]*}");

  private DdlRenderer() {}

  public static List<String> render(String text, SchemaConfig c) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      Matcher d = DISTRIBUTED.matcher(trimmed);
      if (d.matches()) {
        if (c.clustered()) {
          out.add(distributed(c, d.group(1), d.group(2).strip()));
        }
        continue;
      }
      if (trimmed.startsWith("--") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      current.append(line).append('\n');
      if (trimmed.endsWith(";")) {
        String stmt = current.toString().strip();
        out.add(statement(stmt.substring(0, stmt.length() - 1).strip(), c));
        current.setLength(0);
      }
    }
    if (!current.toString().isBlank()) {
      throw new IllegalArgumentException("migration text ends without ';': " + current.toString().strip());
    }
    return out;
  }

  private static String statement(String sql, SchemaConfig c) {
    Matcher firstLocal = LOCAL.matcher(sql);
    String created = firstLocal.find() ? firstLocal.group(1) : null;
    String db = c.database();
    Matcher e = ENGINE.matcher(sql);
    StringBuilder engines = new StringBuilder();
    while (e.find()) {
      String engine = e.group(1);
      String args = e.group(2).strip();
      String rendered;
      if (!c.clustered()) {
        rendered = engine + "(" + args + ")";
      } else {
        if (created == null) {
          throw new IllegalArgumentException("${engine:...} in a statement that creates no ${local:...} table");
        }
        rendered = "Replicated" + engine + "('/clickhouse/tables/{shard}/" + db + "/" + created + "_local', '{replica}'"
            + (args.isEmpty() ? "" : ", " + args) + ")";
      }
      e.appendReplacement(engines, Matcher.quoteReplacement(rendered));
    }
    e.appendTail(engines);
    String s = engines.toString();
    s = LOCAL.matcher(s).replaceAll(m -> Matcher.quoteReplacement(db + "." + m.group(1) + (c.clustered() ? "_local" : "")));
    s = TABLE.matcher(s).replaceAll(m -> Matcher.quoteReplacement(db + "." + m.group(1)));
    s = s.replace(" ${on_cluster}", c.clustered() ? " " + onCluster(c) : "")
        .replace("${on_cluster}", onCluster(c))
        .replace("${db}", db)
        .replace("${ttl_days}", String.valueOf(c.ttlDays()))
        .replace("${dedup_window_setting}", (c.clustered() ? "replicated_deduplication_window = "
            : "non_replicated_deduplication_window = ") + DEDUP_WINDOW);
    Matcher left = LEFTOVER.matcher(s);
    if (left.find()) {
      throw new IllegalArgumentException("unknown placeholder " + left.group() + " in: " + sql);
    }
    return s.replaceAll("[ \\t]+\\n", "\n");
  }

  static String onCluster(SchemaConfig c) {
    return c.clustered() ? "ON CLUSTER '" + c.cluster() + "'" : "";
  }

  private static String distributed(SchemaConfig c, String name, String shardingKey) {
    String db = c.database();
    return "CREATE TABLE IF NOT EXISTS " + db + "." + name + " " + onCluster(c) + " AS " + db + "." + name + "_local"
        + " ENGINE = Distributed('" + c.cluster() + "', '" + db + "', '" + name + "_local', " + shardingKey + ")";
  }
}
