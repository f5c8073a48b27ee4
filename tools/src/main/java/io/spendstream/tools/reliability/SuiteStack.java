package io.spendstream.tools.reliability;

import io.spendstream.tools.CliMain;
import io.spendstream.infra.clickhouse.ClickHouseEndpointProcess;
import io.spendstream.infra.kafka.KafkaBroker;
import io.spendstream.infra.kafka.KafkaOptions;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.infra.process.ChildLogging;
import io.spendstream.infra.process.HttpProbe;
import io.spendstream.infra.process.JavaProcess;
import io.spendstream.infra.process.Ports;
import io.spendstream.infra.registry.ApicurioRegistry;
import io.spendstream.infra.registry.RegistryOptions;
import io.spendstream.ingest.auth.KeysFileEditor;
import io.spendstream.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole pipeline for the reliability suite: Kafka, the registry and the ClickHouse endpoint, then the gateway,
 * the stream processor, the sink and alert delivery, each its own process on free ports, so that any one of them
 * can be killed with SIGKILL and started again on the same ports and state, as in production.
 */
final class SuiteStack implements AutoCloseable {
  static final String DATABASE = "spendstream";
  static final String WEBHOOK_SECRET_ENV = "SPENDSTREAM_RELIABILITY_WEBHOOK_SECRET";
  static final String WEBHOOK_SECRET = "reliability-suite-webhook-secret";

  private final Path dir;
  private final KafkaOptions kafkaOptions;
  private final int clickhousePort;
  private final Consumer<String> progress;
  private final Map<String, Service> services = new LinkedHashMap<>();
  private final Map<String, String> tenantKeys = new LinkedHashMap<>();
  private KafkaBroker kafka;
  private ApicurioRegistry registry;
  private ClickHouseEndpointProcess clickhouse;

  /** How one service is started, and its current process (replaced on every start). */
  private static final class Service {
    final List<String> args;
    final int port;
    final String health;
    final long heapMb;
    final Map<String, String> env;
    JavaProcess process;

    Service(List<String> args, int port, String health, long heapMb, Map<String, String> env) {
      this.args = args;
      this.port = port;
      this.health = health;
      this.heapMb = heapMb;
      this.env = env;
    }
  }

  SuiteStack(Path dir, Consumer<String> progress) {
    this.dir = dir.toAbsolutePath();
    this.kafkaOptions = new KafkaOptions(Ports.ephemeral(), Ports.ephemeral(), this.dir.resolve("kafka"), 3, 512L * 1024 * 1024);
    this.clickhousePort = Ports.ephemeral();
    this.progress = progress;
  }

  /** Starts everything; {@code tenants} get API keys first (the gateway reads its keys file at start). */
  void start(List<String> tenants, String webhookUrl) {
    try {
      Files.createDirectories(dir.resolve("logs"));
      for (String t : tenants) {
        tenantKeys.put(t, KeysFileEditor.addKey(dir.resolve("tenant-keys.yaml"), t));
      }
      // One-minute windows with two minutes of grace: every window of the run closes minutes after its last call,
      // and an outage of a minute still leaves resent calls inside the grace. Anomaly alerts are kept out of the
      // way (a minimum bucket cost no test traffic reaches): the suite counts the retry storms it injects.
      Files.writeString(dir.resolve("processor.yaml"), """
          windows: {sizes: [1m], grace: 2m}
          anomaly: {min_bucket_cost_usd: 1000000}
          """);
      Files.writeString(dir.resolve("alerting.yaml"), """
          destinations:
            receiver:
              kind: webhook
              url: %s
              secret_env: %s
              cooldown: 0s
              rate_limit_per_minute: 0
              retry: {max_attempts: 20, initial_backoff: 200ms, max_backoff: 2s}
          default: [receiver]
          """.formatted(webhookUrl, WEBHOOK_SECRET_ENV));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + dir + ": " + e.getMessage(), e);
    }
    startKafka();
    long t0 = System.nanoTime();
    registry = ApicurioRegistry.start(RegistryOptions.inMemory(Ports.ephemeral(), Ports.ephemeral(), dir.resolve("logs/registry.log")));
    progress.accept("schema registry ready in %.1f s".formatted(seconds(t0)));
    startClickHouse();
    String kafkaArg = kafkaOptions.bootstrapServers();
    String registryArg = registry.ccompatUrl();
    int gatewayPort = Ports.ephemeral();
    define("gateway", List.of("gateway", "--port", String.valueOf(gatewayPort), "--grpc-port", "0", "--ops-port", String.valueOf(Ports.ephemeral()),
        "--keys", dir.resolve("tenant-keys.yaml").toString(),
        "--kafka", kafkaArg, "--registry", registryArg), gatewayPort, "/readyz", 384, Map.of());
    for (String name : List.of("processor-1", "processor-2")) {
      int port = Ports.ephemeral();
      define(name, List.of("processor", "--port", String.valueOf(port), "--state-dir", dir.resolve(name + "-state").toString(),
          "--kafka", kafkaArg, "--registry", registryArg, "--config", dir.resolve("processor.yaml").toString()), port, "/healthz",
          512, Map.of());
    }
    int sinkPort = Ports.ephemeral();
    define("sink", List.of("sink", "--port", String.valueOf(sinkPort), "--kafka", kafkaArg, "--registry", registryArg,
        "--clickhouse", clickhouseUrl(), "--database", DATABASE), sinkPort, "/healthz", 384, Map.of());
    int alertingPort = Ports.ephemeral();
    define("alerting", List.of("alerting", "--port", String.valueOf(alertingPort), "--kafka", kafkaArg, "--registry", registryArg,
        "--config", dir.resolve("alerting.yaml").toString()), alertingPort, "/readyz", 256, Map.of(WEBHOOK_SECRET_ENV, WEBHOOK_SECRET));
    for (String name : List.of("gateway", "processor-1", "sink", "alerting")) {
      startService(name);
    }
  }

  private void define(String name, List<String> args, int port, String health, long heapMb, Map<String, String> env) {
    services.put(name, new Service(args, port, health, heapMb, env));
  }

  void startKafka() {
    long t0 = System.nanoTime();
    kafka = KafkaBroker.start(kafkaOptions, dir.resolve("logs/kafka.log"));
    List<TopicSpec> topics = new ArrayList<>();
    Duration retention = Duration.ofDays(7);
    for (String t : List.of(Topics.LLM_CALLS, Topics.LLM_CALLS_PRICED, Topics.COST_WINDOWS, Topics.ALERTS,
        Topics.USAGE_REPORTED)) {
      topics.add(new TopicSpec(t, 3, retention));
    }
    for (String t : List.of(Topics.LLM_CALLS_DLQ, Topics.SINK_DLQ, Topics.ALERTS_DLQ)) {
      topics.add(new TopicSpec(t, 1, retention));
    }
    KafkaTopics.ensure(kafka.bootstrapServers(), topics);
    progress.accept("kafka ready in %.1f s".formatted(seconds(t0)));
  }

  /** Stops the broker cleanly (SIGTERM: controlled shutdown), as an operator restarting it would. */
  void stopKafka() {
    kafka.close();
    progress.accept("kafka stopped");
  }

  void startClickHouse() {
    long t0 = System.nanoTime();
    clickhouse = ClickHouseEndpointProcess.start(clickhousePort, dir.resolve("clickhouse"), dir, dir.resolve("logs/clickhouse.log"));
    clickhouse.createDatabase(DATABASE);
    progress.accept("clickhouse ready in %.1f s".formatted(seconds(t0)));
  }

  void stopClickHouse() {
    clickhouse.close();
    progress.accept("clickhouse stopped");
  }

  void startService(String name) {
    Service s = service(name);
    long t0 = System.nanoTime();
    Ports.requireFree(s.port, name);
    List<String> jvm = List.of("-Xmx" + s.heapMb + "m", "--enable-native-access=ALL-UNNAMED", ChildLogging.jvmArg(dir), "-cp",
        ChildLogging.classpath());
    List<String> args = new ArrayList<>(List.of(CliMain.CLASS));
    args.addAll(s.args);
    JavaProcess p = JavaProcess.start(name, dir, jvm, args, dir.resolve("logs").resolve(name + ".log"), s.env);
    s.process = p;
    p.awaitReady(() -> HttpProbe.ok("http://127.0.0.1:" + s.port + s.health), Duration.ofSeconds(90));
    progress.accept("%s ready in %.1f s (pid %d)".formatted(name, seconds(t0), p.pid()));
  }

  /** SIGKILL: no shutdown hook, no flush, no commit — a crash. */
  void kill(String name) {
    JavaProcess p = service(name).process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException(name + " does not run");
    }
    p.kill();
    progress.accept("%s killed (SIGKILL, pid %d)".formatted(name, p.pid()));
  }

  boolean runs(String name) {
    JavaProcess p = service(name).process;
    return p != null && p.isAlive();
  }

  private Service service(String name) {
    Service s = services.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no service " + name);
    }
    return s;
  }

  String kafkaBootstrap() {
    return kafkaOptions.bootstrapServers();
  }

  String registryUrl() {
    return registry.ccompatUrl();
  }

  String clickhouseUrl() {
    return "http://127.0.0.1:" + clickhousePort;
  }

  URI gateway() {
    return URI.create("http://127.0.0.1:" + service("gateway").port);
  }

  String key(String tenant) {
    return tenantKeys.get(tenant);
  }

  Path dir() {
    return dir;
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  @Override
  public void close() {
    List<String> names = new ArrayList<>(services.keySet());
    for (int i = names.size() - 1; i >= 0; i--) {
      JavaProcess p = services.get(names.get(i)).process;
      if (p != null) {
        p.close();
      }
    }
    if (clickhouse != null) {
      clickhouse.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }
}
