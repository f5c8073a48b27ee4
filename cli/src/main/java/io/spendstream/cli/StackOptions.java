package io.spendstream.cli;

import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.infra.stack.ServiceSpec;
import io.spendstream.infra.stack.StackConfig;
import io.spendstream.schemas.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by up, status and down: where the stack lives and listens. */
final class StackOptions {
  static final String LAST_STATE_DIR = "last-state-dir";
  private static final String STACK_FILE = "stack.properties";

  @Option(names = "--state-dir", description = "Where the stack keeps data and logs (default: .spendstream in the repository).")
  Path stateDir;

  @Option(names = "--kafka-port", defaultValue = "9092", description = "Kafka client port (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--kafka-controller-port", defaultValue = "9093", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
  int kafkaControllerPort;

  @Option(names = "--registry-port", defaultValue = "8080", description = "Schema registry port (default: ${DEFAULT-VALUE}).")
  int registryPort;

  @Option(names = "--registry-management-port", defaultValue = "8091",
      description = "Registry health/metrics port (default: ${DEFAULT-VALUE}).")
  int registryManagementPort;

  @Option(names = "--clickhouse-port", defaultValue = "8123", description = "ClickHouse HTTP port (default: ${DEFAULT-VALUE}).")
  int clickhousePort;

  @Option(names = "--gateway-port", defaultValue = "8088", description = "Ingest gateway port (default: ${DEFAULT-VALUE}).")
  int gatewayPort;

  @Option(names = "--gateway-ops-port", defaultValue = "8094",
      description = "Ingest gateway's operators' port: /metrics with per-tenant labels (default: ${DEFAULT-VALUE}).")
  int gatewayOpsPort;

  @Option(names = "--gateway-grpc-port", defaultValue = "4317",
      description = "Gateway OTLP/gRPC port, e.g. for Claude Code (default: ${DEFAULT-VALUE}, the standard one).")
  int gatewayGrpcPort;

  @Option(names = "--processor-port", defaultValue = "8089",
      description = "Stream processor health/metrics port (default: ${DEFAULT-VALUE}).")
  int processorPort;

  @Option(names = "--sink-port", defaultValue = "8090", description = "Sink health/metrics port (default: ${DEFAULT-VALUE}).")
  int sinkPort;

  @Option(names = "--alerting-port", defaultValue = "8092",
      description = "Alert delivery health/metrics port (default: ${DEFAULT-VALUE}).")
  int alertingPort;

  @Option(names = "--dashboard-port", defaultValue = "8093", description = "Dashboard port (default: ${DEFAULT-VALUE}).")
  int dashboardPort;

  @Option(names = "--alerting-config",
      description = "Alert destinations and routes for up (YAML). Default: alerts to the log of the alerting service only.")
  Path alertingConfig;

  @Option(names = "--processor-config", description = "Stream processor config for up (YAML). Default: built-in defaults"
      + " (with --demo: short anomaly buckets so that a spike is caught minutes after start).")
  Path processorConfig;

  @Option(names = "--partitions", defaultValue = "3", description = "Partitions per project topic (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(names = "--retention", defaultValue = "P30D",
      description = "Topic retention as ISO-8601 duration (default: ${DEFAULT-VALUE}). Kafka retains by record timestamp:"
          + " replayed events older than this are deleted.")
  Duration retention;

  /**
   * The pipeline services {@code up} runs on top of the infrastructure; {@code moreSinkArgs}: sink options the command
   * chooses (the demo's quicker REPORTED_COST_MISMATCH check), not a user option.
   */
  List<ServiceSpec> services(StackConfig c, List<String> moreSinkArgs) {
    Path keys = c.stateDir().resolve(Repo.KEYS_FILE);
    return List.of(
        new ServiceSpec("gateway", SpendstreamCli.class.getName(), List.of("gateway", "--port", String.valueOf(gatewayPort), "--grpc-port", String.valueOf(gatewayGrpcPort),
            "--ops-port", String.valueOf(gatewayOpsPort), "--keys", keys.toString(), "--kafka", c.kafkaBootstrap(), "--registry",
            c.registryUrl()),
            gatewayPort, "/readyz", 512L * 1024 * 1024),
        new ServiceSpec("stream-processor", SpendstreamCli.class.getName(), processorArgs(c), processorPort, "/healthz",
            768L * 1024 * 1024),
        new ServiceSpec("sink", SpendstreamCli.class.getName(), sinkArgs(c, moreSinkArgs), sinkPort, "/healthz", 512L * 1024 * 1024),
        new ServiceSpec("alerting", SpendstreamCli.class.getName(), alertingArgs(c), alertingPort, "/readyz", 256L * 1024 * 1024),
        new ServiceSpec("dashboard", SpendstreamCli.class.getName(), dashboardArgs(c), dashboardPort, "/healthz",
            128L * 1024 * 1024));
  }

  private List<String> sinkArgs(StackConfig c, List<String> more) {
    List<String> args = new ArrayList<>(List.of("sink", "--port", String.valueOf(sinkPort), "--kafka", c.kafkaBootstrap(),
        "--registry", c.registryUrl(), "--clickhouse", c.clickhouseUrl(), "--database", c.database()));
    args.addAll(more);
    return args;
  }

  private List<String> dashboardArgs(StackConfig c) {
    List<String> args = new ArrayList<>(List.of("dashboard", "--port", String.valueOf(dashboardPort), "--clickhouse",
        c.clickhouseUrl(), "--database", c.database()));
    if (processorConfig != null) { // the budgets it draws are the processor's
      args.addAll(List.of("--processor-config", processorConfig.toAbsolutePath().toString()));
    }
    return args;
  }

  private List<String> processorArgs(StackConfig c) {
    List<String> args = new ArrayList<>(List.of("processor", "--port", String.valueOf(processorPort), "--state-dir",
        c.stateDir().resolve("processor-state").toString(), "--kafka", c.kafkaBootstrap(), "--registry", c.registryUrl()));
    if (processorConfig != null) {
      args.addAll(List.of("--config", processorConfig.toAbsolutePath().toString()));
    }
    return args;
  }

  private List<String> alertingArgs(StackConfig c) {
    List<String> args = new ArrayList<>(List.of("alerting", "--port", String.valueOf(alertingPort), "--kafka",
        c.kafkaBootstrap(), "--registry", c.registryUrl()));
    if (alertingConfig != null) {
      args.addAll(List.of("--config", alertingConfig.toAbsolutePath().toString()));
    }
    return args;
  }

  /**
   * The --state-dir given, else the default one; but when no stack runs there and the last {@code up} ran with its
   * own --state-dir (recorded in {@link #LAST_STATE_DIR}), that one: a plain {@code status} or {@code down} finds the
   * stack {@code up --state-dir DIR} started.
   */
  Path resolvedStateDir() {
    if (stateDir != null) {
      return stateDir.toAbsolutePath();
    }
    Path d = Repo.defaultStateDir();
    Path pointer = d.resolve(LAST_STATE_DIR);
    if (!Files.exists(d.resolve(STACK_FILE)) && Files.isRegularFile(pointer)) {
      try {
        Path last = Path.of(Files.readString(pointer).strip());
        if (Files.exists(last.resolve(STACK_FILE))) {
          return last;
        }
      } catch (IOException | java.nio.file.InvalidPathException e) {
        return d; // an unreadable pointer: the default, as before
      }
    }
    return d;
  }

  /** Records where {@code up} keeps the stack when that is not the default state dir (see {@link #resolvedStateDir}). */
  void rememberStateDir(Path used) {
    Path d = Repo.defaultStateDir();
    try {
      if (used.equals(d)) {
        Files.deleteIfExists(d.resolve(LAST_STATE_DIR));
      } else {
        Files.createDirectories(d);
        Files.writeString(d.resolve(LAST_STATE_DIR), used.toAbsolutePath() + "\n");
      }
    } catch (IOException e) { // a read-only repository: status and down then need --state-dir, as before
      System.err.println("spendstream: could not record the state dir in " + d + ": " + e.getMessage());
    }
  }

  StackConfig config() {
    if (partitions < 1 || partitions > 1000) {
      throw new IllegalArgumentException("--partitions must be 1..1000, got " + partitions);
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("--retention must be positive, got " + retention);
    }
    List<TopicSpec> topics = List.of(
        new TopicSpec(Topics.LLM_CALLS, partitions, retention),
        new TopicSpec(Topics.LLM_CALLS_REROUTED, partitions, retention),
        new TopicSpec(Topics.LLM_CALLS_PRICED, partitions, retention),
        new TopicSpec(Topics.COST_WINDOWS, partitions, retention),
        new TopicSpec(Topics.ALERTS, partitions, retention),
        new TopicSpec(Topics.USAGE_REPORTED, partitions, retention),
        new TopicSpec(Topics.LLM_CALLS_DLQ, 1, retention),
        new TopicSpec(Topics.SINK_DLQ, 1, retention),
        new TopicSpec(Topics.ALERTS_DLQ, 1, retention));
    return new StackConfig(resolvedStateDir(), kafkaPort, kafkaControllerPort, registryPort, registryManagementPort,
        clickhousePort, "spendstream", topics);
  }
}
