package io.spendstream.cli;

import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.stream.ProcessorSettings;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.StreamProcessor;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.config.ProcessorConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream processor}: the Kafka Streams application in the foreground. */
@Command(name = "processor", mixinStandardHelpOptions = true,
    description = {"Runs the stream processor until Ctrl-C: dedupe and price llm.calls.v1, final cost windows,",
        "retry-storm, cost-anomaly and unpriced-model alerts. Several instances with the same --application-id",
        "share the partitions. Exit code 1 when it stopped on an error (a supervisor should restart it)."},
    footer = {"", "Health: GET /healthz (alive), /readyz (RUNNING), /metrics (Prometheus) on --port."})
final class ProcessorCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectOptions connect;

  @Option(names = "--config", description = "Thresholds, windows and cooldowns (YAML; see stream-processor/stream-processor.example.yaml)."
      + " Default: built-in defaults.")
  Path config;

  @Option(names = "--prices", description = "Price catalog file. Default: $SPENDSTREAM_PRICES, else the built-in catalog.")
  Path prices;

  @Option(names = "--application-id", defaultValue = ProcessorSettings.DEFAULT_APPLICATION_ID,
      description = "Kafka Streams application id: consumer group and prefix of internal topics (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--state-dir", description = "Local state (RocksDB) directory (default: .spendstream/processor-state).")
  Path stateDir;

  @Option(names = "--threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--guarantee", defaultValue = "exactly_once_v2",
      description = "exactly_once_v2 or at_least_once (default: ${DEFAULT-VALUE}).")
  String guarantee;

  @Option(names = "--commit-interval", defaultValue = "PT0.1S",
      description = "How often results are committed and become visible to read_committed readers (default: ${DEFAULT-VALUE}).")
  Duration commitInterval;

  @Option(names = "--replication-factor", defaultValue = "-1",
      description = "Of internal topics; -1 uses the broker's default (default: ${DEFAULT-VALUE}).")
  int replicationFactor;

  @Option(names = "--port", defaultValue = "8089", description = "Health and metrics HTTP port on --host (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address of the health/metrics server (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--validate-config", description = "Check --config and --prices, print the effective settings and exit.")
  boolean validateOnly;

  @Override
  public Integer call() throws InterruptedException {
    ProcessorConfig c = ProcessorConfigLoader.loadOrDefault(config);
    var catalog = PriceCatalogLoader.loadOrDefault(PriceCommand.catalogFile(prices));
    PrintWriter out = spec.commandLine().getOut();
    if (validateOnly) {
      out.println("config ok: " + c);
      out.println("prices ok: catalog " + catalog.version());
      out.flush();
      return 0;
    }
    Path state = stateDir == null ? Repo.defaultStateDir().resolve("processor-state") : stateDir;
    ProcessorSettings s = new ProcessorSettings(connect.kafka, connect.registry, applicationId, state, threads, guarantee, commitInterval,
        replicationFactor, host, port, ProcessorTopics.defaults(), c, catalog);
    StreamProcessor processor = StreamProcessor.start(s);
    Runtime.getRuntime().addShutdownHook(new Thread(processor::close, "processor-stop"));
    out.printf("stream processor started (application %s, %s, Kafka %s); health on http://%s:%d/healthz%n", applicationId,
        guarantee, connect.kafka, host, processor.port());
    out.flush();
    return processor.awaitStop() ? 0 : 1;
  }
}
