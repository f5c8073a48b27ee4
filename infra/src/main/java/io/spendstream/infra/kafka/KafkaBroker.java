package io.spendstream.infra.kafka;

import io.spendstream.infra.process.ChildLogging;
import io.spendstream.infra.process.JavaProcess;
import io.spendstream.infra.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Kafka (KRaft, combined broker+controller, one node) as its own process from the Maven Central
 * jars. Storage is formatted once per data dir; restarts keep the data. Internal topics use replication
 * factor 1, which a single broker needs.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaBroker.class);
  private final JavaProcess process;
  private final KafkaOptions options;

  private KafkaBroker(JavaProcess process, KafkaOptions options) {
    this.process = process;
    this.options = options;
  }

  public static KafkaBroker start(KafkaOptions o, Path logFile) {
    Ports.requireFree(o.port(), "Kafka broker");
    Ports.requireFree(o.controllerPort(), "Kafka controller");
    Path config = writeConfig(o);
    List<String> jvm = List.of("-Xmx" + o.heapBytes() / (1024 * 1024) + "m", "-XX:+UseG1GC",
        ChildLogging.jvmArg(o.dataDir()), "-cp", ChildLogging.classpath());
    if (!Files.exists(o.dataDir().resolve("logs").resolve("meta.properties"))) {
      format(o, config, jvm, logFile);
    }
    long t0 = System.nanoTime();
    JavaProcess p = JavaProcess.start("kafka", o.dataDir(), jvm, List.of("kafka.Kafka", config.toString()), logFile);
    p.awaitReady(() -> answers(o.bootstrapServers()), Duration.ofSeconds(90));
    log.info("component=kafka event=ready bootstrap={} startup_ms={}", o.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
    return new KafkaBroker(p, o);
  }

  private static void format(KafkaOptions o, Path config, List<String> jvm, Path logFile) {
    String clusterId = Uuid.randomUuid().toString();
    try (JavaProcess f = JavaProcess.start("kafka-storage-format", o.dataDir(), jvm,
        List.of("kafka.tools.StorageTool", "format", "--cluster-id", clusterId, "--config", config.toString()), logFile)) {
      if (!f.waitFor(Duration.ofSeconds(60)) || f.exitCode() != 0) {
        throw new IllegalStateException("formatting Kafka storage in " + o.dataDir() + " failed; see " + logFile);
      }
    }
    log.info("component=kafka event=storage_formatted cluster_id={} dir={}", clusterId, o.dataDir());
  }

  static Path writeConfig(KafkaOptions o) {
    Path dir = o.dataDir().toAbsolutePath();
    Path file = dir.resolve("server.properties");
    String props = String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + o.controllerPort(),
        "listeners=PLAINTEXT://127.0.0.1:" + o.port() + ",CONTROLLER://127.0.0.1:" + o.controllerPort(),
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + o.port(),
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("logs"),
        "num.partitions=" + o.defaultPartitions(),
        "auto.create.topics.enable=false",
        // one broker: every internal topic must have replication factor 1
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=3",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=3",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "log.segment.bytes=67108864",
        "") ;
    try {
      Files.createDirectories(dir);
      Files.writeString(file, props);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** True when a broker at {@code bootstrap} answers a cluster description within 2 s. */
  public static boolean answers(String bootstrap) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000))) {
      return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      return false;
    }
  }

  public String bootstrapServers() {
    return options.bootstrapServers();
  }

  public long pid() {
    return process.pid();
  }

  /** Stops the broker: SIGTERM lets it shut down cleanly (controlled shutdown, flushed logs). */
  @Override
  public void close() {
    process.close();
  }
}
