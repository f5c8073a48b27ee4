package io.spendstream.sink;

import com.clickhouse.client.api.Client;
import io.spendstream.ops.Failures;
import io.spendstream.ops.OpsServer;
import io.spendstream.sink.check.ReportedCostCheck;
import io.spendstream.sink.kafka.RowWriter;
import io.spendstream.sink.kafka.SinkWorker;
import java.util.function.UnaryOperator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The sink service: migrate the schema, then run the worker; health and metrics over HTTP. */
public final class Sink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Sink.class);
  private final Client clickhouse;
  private final SinkWorker worker;
  private final Thread thread;
  private final SinkMetrics metrics;
  private final OpsServer ops;
  private final ReportedCostCheck check;
  private volatile boolean stopping;

  private Sink(Client clickhouse, SinkWorker worker, Thread thread, SinkMetrics metrics, OpsServer ops,
      ReportedCostCheck check) {
    this.check = check;
    this.clickhouse = clickhouse;
    this.worker = worker;
    this.thread = thread;
    this.metrics = metrics;
    this.ops = ops;
  }

  public static Client client(SinkConfig c) {
    // no client-side retries: the worker retries with its own backoff and pauses consumption meanwhile
    return new Client.Builder().addEndpoint(c.clickhouseUrl()).setUsername(c.user()).setPassword(c.password())
        .setMaxRetries(0).build();
  }

  public static Sink start(SinkConfig config) {
    return start(config, ReportedCostCheck.Settings.defaults());
  }

  /** The sink, and the REPORTED_COST_MISMATCH check over what it wrote ({@code check}: how often, thresholds). */
  public static Sink start(SinkConfig config, ReportedCostCheck.Settings checkSettings) {
    return start(config, checkSettings, UnaryOperator.identity());
  }

  /** As {@link #start(SinkConfig, ReportedCostCheck.Settings)}, with every insert going through {@code writer}. */
  public static Sink start(SinkConfig config, ReportedCostCheck.Settings checkSettings, UnaryOperator<RowWriter> writer) {
    Client clickhouse = client(config); // the worker migrates the schema first, waiting for ClickHouse if it is down
    SinkMetrics metrics = new SinkMetrics();
    SinkWorker worker = new SinkWorker(config, clickhouse,
        writer.apply(RowWriter.clickhouse(clickhouse, config.schema().database())), SinkTable.of(config.topics()), metrics);
    // a worker that dies (a bug, not a dependency: those it retries) ends the process non-zero via awaitStop,
    // so its supervisor restarts it instead of leaving a live process that sinks nothing
    Thread t = Thread.ofPlatform().name("sink-worker").uncaughtExceptionHandler((th, e) ->
        LOG.error("event=worker_died action=stop_process error=\"{}\"", Failures.rootMessage(e), e)).start(worker);
    OpsServer ops = OpsServer.start(config.host(), config.httpPort(), t::isAlive,
        () -> t.isAlive() && worker.schemaReady() && !metrics.failing(),
        () -> !t.isAlive() ? "STOPPED" : !worker.schemaReady() ? "MIGRATING" : metrics.failing() ? "CLICKHOUSE_FAILING" : "RUNNING",
        metrics.registry::scrape);
    LOG.info("event=started group={} topics={} clickhouse={} database={} http_port={}", config.groupId(), config.topics(),
        config.clickhouseUrl(), config.schema().database(), ops.port());
    ReportedCostCheck check = new ReportedCostCheck(clickhouse, config.schema().database(), config.bootstrap(),
        config.registryUrl(), config.topics().alerts(), checkSettings).start();
    return new Sink(clickhouse, worker, t, metrics, ops, check);
  }

  public int port() {
    return ops.port();
  }

  public boolean isWorkerAlive() {
    return thread.isAlive();
  }

  public SinkMetrics metrics() {
    return metrics;
  }

  /** Waits for the worker to end (it ends only on close or on an error); false if it died on an error. */
  public boolean awaitStop() throws InterruptedException {
    thread.join();
    return stopping;
  }

  @Override
  public void close() {
    stopping = true;
    check.close();
    worker.close();
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ops.close();
    metrics.close();
    clickhouse.close();
    LOG.info("event=stopped");
  }
}
