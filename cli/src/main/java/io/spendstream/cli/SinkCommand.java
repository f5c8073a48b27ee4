package io.spendstream.cli;

import io.spendstream.sink.Sink;
import io.spendstream.sink.SinkConfig;
import io.spendstream.sink.SinkTopics;
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
    description = {"Lands llm.calls.priced.v1 in llm_calls, cost.windows.v1 in cost_windows_shards and alerts.v1 in alerts,",
        "exactly once (deduplicated batches; offsets committed only after ClickHouse acknowledged), after applying",
        "the schema migrations. ClickHouse down or slow: consumption pauses and the batch is retried, never skipped.",
        "Records that cannot be read or written go to sink.dlq.v1 with the reason."},
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

  @Override
  public Integer call() throws InterruptedException {
    SinkConfig c = new SinkConfig(connect.kafka, connect.registry, clickhouse.url, clickhouse.user, clickhouse.password(),
        new SchemaConfig(clickhouse.database, ttlDays, cluster),
        group, SinkTopics.defaults(), batchRows, batchBytes, batchWait, maxBackoff, host, port);
    Sink sink = Sink.start(c);
    Runtime.getRuntime().addShutdownHook(new Thread(sink::close, "sink-stop"));
    PrintWriter out = spec.commandLine().getOut();
    out.printf("sink started (group %s, ClickHouse %s, database %s); health on http://%s:%d/healthz%n", group, clickhouse.url,
        clickhouse.database, host, sink.port());
    out.flush();
    return sink.awaitStop() ? 0 : 1;
  }
}
