package io.spendstream.cli;

import io.spendstream.dashboard.Budgets;
import io.spendstream.dashboard.Dashboard;
import io.spendstream.stream.config.CatalogueConfig;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.config.ProcessorConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream dashboard}: the built-in page over ClickHouse. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
    description = {"Serves a one-page dashboard over ClickHouse: spend per tenant per minute, top routes, spend against",
        "budget per tenant, cache hit ratio by model and by route over time, alerts timeline by type; refreshed every 5 s.",
        "JSON behind it: GET /api/dashboard?minutes=60 (or from/to)."})
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

  @Option(names = "--processor-config", description = "The stream processor's config (YAML): the budgets spend is drawn"
      + " against, the same ones its BUDGET alerts use. Default: no budgets.")
  Path processorConfig;

  @Override
  public Integer call() throws InterruptedException {
    Dashboard d = Dashboard.start(clickhouse, user, System.getenv().getOrDefault(passwordEnv, "oncall"), database,
        budgets(ProcessorConfigLoader.loadOrDefault(processorConfig)), host, port);
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

  static Budgets budgets(ProcessorConfig c) {
    Map<String, Budgets.TenantBudget> tenants = new HashMap<>();
    c.tenants().keySet().forEach(t -> tenants.put(t, budget(c.alerts(t).budget())));
    return new Budgets(budget(c.alerts().budget()), tenants);
  }

  private static Budgets.TenantBudget budget(CatalogueConfig.Budget b) {
    return new Budgets.TenantBudget(b.dailyNanos(), b.monthlyNanos());
  }
}
