package io.spendstream.cli;

import com.clickhouse.client.api.Client;
import io.spendstream.ops.Failures;
import io.spendstream.sink.sql.SqlResult;
import io.spendstream.sink.sql.SqlRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spendstream sql}: ad-hoc or on-call-pack SQL against ClickHouse, printed for people or machines. */
@Command(name = "sql", mixinStandardHelpOptions = true,
    description = {"Runs one SQL statement against ClickHouse (as the read-only on-call user by default) and prints",
        "an aligned table, CSV or JSON. The on-call pack is in sink/sql/ (each file says when to use it)."},
    footer = {"", "Examples:",
        "  spendstream sql \"SELECT tenant_id, sum(toInt128(cost_nanos)) FROM llm_calls GROUP BY tenant_id\"",
        "  spendstream sql -f sink/sql/01-top-spend-last-hour.sql",
        "  spendstream sql -f sink/sql/03-daily-spend-vs-budget.sql --param budget_usd=25000 --format csv",
        "Plain curl works too: curl -u oncall:oncall 'http://127.0.0.1:8123/?database=spendstream&param_budget_usd=25000'"
            + " --data-binary @sink/sql/03-daily-spend-vs-budget.sql"})
final class SqlCommand implements Callable<Integer> {
  static final int QUERY_FAILED = 1;

  @Spec
  CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "SQL", description = "The statement (or use -f).")
  String sql;

  @Option(names = {"-f", "--file"}, description = "Read the statement from this file.")
  Path file;

  @Option(names = "--param", description = "Query parameter name=value, for {name:Type} in the SQL (repeatable).")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--clickhouse", defaultValue = "http://127.0.0.1:8123", description = "ClickHouse HTTP URL (default: ${DEFAULT-VALUE}).")
  String clickhouse;

  @Option(names = "--database", defaultValue = "spendstream", description = "Database (default: ${DEFAULT-VALUE}).")
  String database;

  @Option(names = "--user", defaultValue = "oncall", description = "ClickHouse user (default: ${DEFAULT-VALUE}, read-only).")
  String user;

  @Option(names = "--password-env", defaultValue = "SPENDSTREAM_CH_ONCALL_PASSWORD",
      description = "Environment variable with the password (default: ${DEFAULT-VALUE}; unset: 'oncall' for the oncall user"
          + " of the local stack, the generated admin password for other users of the local stack, else empty).")
  String passwordEnv;

  @Override
  public Integer call() {
    if ((sql == null) == (file == null)) {
      throw new IllegalArgumentException("give the SQL as an argument or with -f FILE (one of them)");
    }
    if (!java.util.List.of("table", "csv", "json").contains(format)) {
      throw new IllegalArgumentException("--format must be table, csv or json");
    }
    String text;
    try {
      text = file != null ? Files.readString(file) : sql;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    String password = System.getenv(passwordEnv);
    if (password == null) {
      password = user.equals("oncall") ? "oncall" : ClickHouseOptions.localStackPassword(clickhouse);
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Client client = new Client.Builder().addEndpoint(clickhouse).setUsername(user).setPassword(password)
        .setMaxRetries(0).build()) {
      SqlResult r = SqlRunner.run(client, database, text, params);
      out.print(switch (format) {
        case "csv" -> r.csv();
        case "json" -> r.json();
        default -> r.table();
      });
      out.flush();
      return 0;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("error: " + Failures.rootMessage(e));
      return QUERY_FAILED;
    } catch (Exception e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
