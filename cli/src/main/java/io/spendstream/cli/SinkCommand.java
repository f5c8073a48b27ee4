package io.spendstream.cli;

import io.spendstream.sink.Sink;
import io.spendstream.sink.SinkConfig;
import io.spendstream.sink.check.ReportedCostCheck;
import io.spendstream.sink.schema.SchemaConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream sink}: Kafka -> ClickHouse, exactly once, in the foreground. */
@Command(name = "sink", mixinStandardHelpOptions = true,
    description = {"Lands llm.calls.priced.v1 in llm_calls, cost.windows.v1 in cost_windows_shards, alerts.v1 in alerts and",
        "usage.reported.v1 in reported_usage, exactly once (deduplicated batches; offsets committed only after ClickHouse",
        "acknowledged), after applying the schema migrations. ClickHouse down or slow: consumption pauses and the batch is",
        "retried, never skipped. Records that cannot be read or written go to sink.dlq.v1 with the reason.",
        "Each minute it compares Claude Code's reported cost with our priced calls per quiet session and raises",
        "REPORTED_COST_MISMATCH to alerts.v1 over the --cost-check thresholds."},
    footer = {"", "Health: GET /healthz, /readyz (503 while ClickHouse refuses inserts), /metrics (Prometheus) on --port."})
final class SinkCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectOptions connect;

  @Mixin
  ClickHouseOptions clickhouse;

  @Option(names = "--cluster", description = "Create the schema ON CLUSTER with Replicated and Distributed tables.")
  String cluster;

  @Option(names = "--ttl-days", defaultValue = "400", description = "Retention of rows (default: ${DEFAULT-VALUE}).")
  int ttlDays;

  @Option(names = "--group", defaultValue = SinkConfig.DEFAULT_GROUP, description = "Consumer group (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(names = "--batch-rows", defaultValue = "10000", description = "Rows per insert at most (default: ${DEFAULT-VALUE}).")
  int batchRows;

  @Option(names = "--batch-bytes", defaultValue = "16777216", description = "Bytes per insert at most (default: ${DEFAULT-VALUE}).")
  long batchBytes;

  @Option(names = "--batch-wait", defaultValue = "PT1S", description = "Longest a record waits for its batch (default: ${DEFAULT-VALUE}).")
  Duration batchWait;

  @Option(names = "--max-backoff", defaultValue = "PT30S",
      description = "Longest wait between retries while ClickHouse fails (default: ${DEFAULT-VALUE}).")
  Duration maxBackoff;

  @Option(names = "--port", defaultValue = "8090", description = "Health and metrics HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address of the health/metrics server (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--cost-check-min-percent", defaultValue = "2",
      description = "REPORTED_COST_MISMATCH: smallest difference, in %% of our cost (default: ${DEFAULT-VALUE}).")
  int costCheckMinPercent;

  @Option(names = "--cost-check-min-usd", defaultValue = "0.01",
      description = "REPORTED_COST_MISMATCH: smallest difference in USD (default: ${DEFAULT-VALUE}).")
  java.math.BigDecimal costCheckMinUsd;

  @Option(names = "--cost-check-every", defaultValue = "PT1M",
      description = "REPORTED_COST_MISMATCH: how often the sessions are compared (default: ${DEFAULT-VALUE}).")
  Duration costCheckEvery;

  @Option(names = "--cost-check-settle", defaultValue = "PT2M",
      description = "REPORTED_COST_MISMATCH: how long a session must be quiet before it is compared (default: ${DEFAULT-VALUE}).")
  Duration costCheckSettle;

  @Override
  public Integer call() throws InterruptedException {
    SinkConfig c = SinkConfig.builder(connect.kafka, connect.registry, clickhouse.url).user(clickhouse.user)
        .password(clickhouse.password()).schema(new SchemaConfig(clickhouse.database, ttlDays, cluster)).groupId(group)
        .maxRows(batchRows).maxBytes(batchBytes).maxWait(batchWait).maxBackoff(maxBackoff).host(host).httpPort(port).build();
    if (costCheckMinPercent < 0 || costCheckMinUsd.signum() < 0 || costCheckSettle.isNegative()
        || !costCheckEvery.isPositive()) {
      throw new IllegalArgumentException("--cost-check-min-percent, --cost-check-min-usd and --cost-check-settle must not"
          + " be negative, --cost-check-every must be positive");
    }
    ReportedCostCheck.Settings d = ReportedCostCheck.Settings.defaults();
    Sink sink = Sink.start(c, new ReportedCostCheck.Settings(costCheckEvery, costCheckSettle, d.lookback(), costCheckMinPercent,
        costCheckMinUsd.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact()));
    Runtime.getRuntime().addShutdownHook(new Thread(sink::close, "sink-stop"));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("sink started (group %s, ClickHouse %s, database %s); health on http://%s:%d/healthz%n", group, clickhouse.url,
        clickhouse.database, host, sink.port());
    out.flush();
    return sink.awaitStop() ? 0 : 1;
  }
}
