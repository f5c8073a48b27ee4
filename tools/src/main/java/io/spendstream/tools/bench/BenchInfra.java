package io.spendstream.tools.bench;

import io.spendstream.infra.clickhouse.ClickHouseEndpointProcess;
import io.spendstream.infra.kafka.KafkaBroker;
import io.spendstream.infra.kafka.KafkaOptions;
import io.spendstream.infra.process.Ports;
import io.spendstream.infra.registry.ApicurioRegistry;
import io.spendstream.infra.registry.RegistryOptions;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Kafka and the registry for a benchmark: the ones given, or fresh ones started (and stopped) here. */
public final class BenchInfra implements AutoCloseable {
  public final String kafka;
  public final String registry;
  private final KafkaBroker ownKafka;
  private final ApicurioRegistry ownRegistry;
  private ClickHouseEndpointProcess ownClickHouse;

  private BenchInfra(String kafka, String registry, KafkaBroker ownKafka, ApicurioRegistry ownRegistry) {
    this.kafka = kafka;
    this.registry = registry;
    this.ownKafka = ownKafka;
    this.ownRegistry = ownRegistry;
  }

  public static BenchInfra start(String kafka, String registry, Path work, PrintWriter out) {
    KafkaBroker k = null;
    ApicurioRegistry r = null;
    try {
      if (kafka == null) {
        out.println("starting Kafka ...");
        out.flush();
        k = KafkaBroker.start(KafkaOptions.of(Ports.ephemeral(), Ports.ephemeral(), work.resolve("kafka")),
            work.resolve("kafka.log"));
        kafka = k.bootstrapServers();
      }
      if (registry == null) {
        out.println("starting the schema registry ...");
        out.flush();
        r = ApicurioRegistry.start(RegistryOptions.inMemory(Ports.ephemeral(), Ports.ephemeral(), work.resolve("registry.log")));
        registry = r.ccompatUrl();
      }
      return new BenchInfra(kafka, registry, k, r);
    } catch (RuntimeException e) {
      if (k != null) {
        k.close();
      }
      throw e;
    }
  }

  /** The ClickHouse endpoint given, or one started here (chDB behind the HTTP interface, user default, no password). */
  public String clickhouse(String given, Path work, PrintWriter out) {
    if (given != null) {
      return given;
    }
    out.println("starting the ClickHouse endpoint ...");
    out.flush();
    ownClickHouse = ClickHouseEndpointProcess.start(Ports.ephemeral(), work.resolve("clickhouse-data"), work,
        work.resolve("clickhouse.log"));
    return ownClickHouse.url();
  }

  public static String machine() {
    return String.format("%d cores, %s %s, JVM %s", Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
        System.getProperty("os.arch"), System.getProperty("java.version"));
  }

  @Override
  public void close() {
    if (ownClickHouse != null) {
      ownClickHouse.close();
    }
    if (ownRegistry != null) {
      ownRegistry.close();
    }
    if (ownKafka != null) {
      ownKafka.close();
    }
  }
}
