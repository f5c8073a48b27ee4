package io.spendstream.infra.clickhouse;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What the on-call user may not run through this endpoint, beyond the engine's readonly session: table
 * functions that read files, URLs or other servers' databases (a SELECT over {@code file('/etc/passwd')}
 * is a read), and a {@code SETTINGS} clause anywhere in a query (it would lift the limits the user runs
 * under). Checked on the SQL's tokens, outside literals and comments, at every depth.
 */
final class OnCallGuard {
  /** Table functions that reach outside the engine's own tables (names compared in lower case). */
  static final Set<String> OUTSIDE_DATA = Set.of("file", "filecluster", "url", "urlcluster", "s3", "s3cluster", "gcs",
      "oss", "cosn", "hdfs", "hdfscluster", "azureblobstorage", "azureblobstoragecluster", "remote", "remotesecure",
      "cluster", "clusterallreplicas", "mysql", "postgresql", "jdbc", "odbc", "mongodb", "redis", "sqlite", "executable",
      "input", "iceberg", "icebergs3", "icebergazure", "iceberghdfs", "icebergcluster", "deltalake", "deltalakecluster",
      "hudi", "hudicluster", "paimon", "ytsaurus", "arrowflight", "prometheusquery", "timeseriesdata");
  /** Setting names an on-call request may not pass as URL parameters (its limits and what would lift them). */
  static boolean limitSetting(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.startsWith("max_") || n.startsWith("min_") || n.startsWith("allow_") || n.equals("readonly")
        || n.startsWith("timeout_") || n.endsWith("_overflow_mode");
  }

  private OnCallGuard() {}

  /** Why the on-call user may not run {@code sql}; empty when it may. */
  static Optional<String> refusal(String sql) {
    List<SqlText.Token> tokens = SqlText.allTokens(sql);
    for (int i = 0; i < tokens.size(); i++) {
      SqlText.Token t = tokens.get(i);
      if (t.is("SETTINGS")) {
        return Optional.of("a SETTINGS clause cannot change the on-call user's limits");
      }
      String name = identifier(t);
      if (name != null && i + 1 < tokens.size() && tokens.get(i + 1).text().equals("(")
          && OUTSIDE_DATA.contains(name.toLowerCase(Locale.ROOT))) {
        return Optional.of("table function " + name + "() reads outside the database and is not allowed for the on-call user");
      }
    }
    return Optional.empty();
  }

  /** A bare word, or an identifier in backticks or double quotes (`file`(...) is still file()). */
  private static String identifier(SqlText.Token t) {
    if (t.word()) {
      return t.text();
    }
    String s = t.text();
    if (s.length() >= 2 && (s.charAt(0) == '`' || s.charAt(0) == '"') && s.charAt(s.length() - 1) == s.charAt(0)) {
      return s.substring(1, s.length() - 1);
    }
    return null;
  }
}
