package io.spendstream.cli;

import io.spendstream.sink.dashboard.Dashboard;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream dashboard}: the built-in page over ClickHouse. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = {"Serves a one-page dashboard over ClickHouse: spend per tenant per minute, top routes, cache hit ratio by",
        "model, alerts timeline; refreshed every 5 s. JSON behind it: GET /api/dashboard?minutes=60 (or from/to)."})
final class DashboardCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--clickhouse", defaultValue = "http://127.0.0.1:8123", description = "ClickHouse HTTP URL (default: ${DEFAULT-VALUE}).")
  String clickhouse;

  @Option(names = "--user", defaultValue = "oncall", description = "ClickHouse user, read-only is enough (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(names = "--password-env", defaultValue = "SPENDSTREAM_CH_READONLY_PASSWORD",
      description = "Environment variable holding the password (default: ${DEFAULT-VALUE}; unset: 'oncall', the local stack's).")
  String passwordEnv;

  @Option(names = "--database", defaultValue = "spendstream", description = "Database (default: ${DEFAULT-VALUE}).")
  String database;

  @Option(names = "--port", defaultValue = "8093", description = "HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Override
  public Integer call() throws InterruptedException {
    Dashboard d = Dashboard.start(clickhouse, user, System.getenv().getOrDefault(passwordEnv, "oncall"), database, host, port);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      d.close();
      stop.countDown();
    }, "dashboard-stop"));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("dashboard on http://%s:%d/ (ClickHouse %s, database %s, user %s)%n", host, d.port(), clickhouse, database, user);
    out.flush();
    stop.await();
    return 0;
  }
}
