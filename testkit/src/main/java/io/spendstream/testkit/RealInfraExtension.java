package io.spendstream.testkit;

import io.spendstream.infra.clickhouse.ClickHouseEndpointProcess;
import io.spendstream.infra.kafka.KafkaBroker;
import io.spendstream.infra.kafka.KafkaOptions;
import io.spendstream.infra.process.Ports;
import io.spendstream.infra.registry.ApicurioRegistry;
import io.spendstream.infra.registry.Registries;
import io.spendstream.infra.registry.RegistryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests the real infrastructure they ask for by parameter type: {@link KafkaEndpoint},
 * {@link RegistryEndpoint}, {@link ClickHouseEndpoint}. Each component is started lazily, once per test
 * JVM, on free loopback ports (state under target/test-infra) and stopped after the JVM's last test. When
 * {@code SPENDSTREAM_KAFKA_BOOTSTRAP}, {@code SPENDSTREAM_REGISTRY_URL} or {@code SPENDSTREAM_CLICKHOUSE_URL}
 * name a running component (e.g. from {@code spendstream up}), that one is reused instead.
 */
public final class RealInfraExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RealInfraExtension.class);
  public static final String KAFKA_ENV = "SPENDSTREAM_KAFKA_BOOTSTRAP";
  public static final String REGISTRY_ENV = "SPENDSTREAM_REGISTRY_URL";
  public static final String CLICKHOUSE_ENV = "SPENDSTREAM_CLICKHOUSE_URL";

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> t = pc.getParameter().getType();
    return t == KafkaEndpoint.class || t == RegistryEndpoint.class || t == ClickHouseEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> t = pc.getParameter().getType();
    ExtensionContext.Store store = ec.getRoot().getStore(NS);
    if (t == KafkaEndpoint.class) {
      return store.computeIfAbsent("kafka", k -> kafka(), Handle.class).endpoint();
    }
    if (t == RegistryEndpoint.class) {
      return store.computeIfAbsent("registry", k -> registry(), Handle.class).endpoint();
    }
    return store.computeIfAbsent("clickhouse", k -> clickhouse(), Handle.class).endpoint();
  }

  private static Path stateDir(String component) {
    try {
      Path dir = Path.of("target", "test-infra", component).toAbsolutePath();
      Files.createDirectories(dir);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Handle kafka() {
    String external = System.getenv(KAFKA_ENV);
    if (external != null && !external.isBlank()) {
      require(KafkaBroker.answers(external), KAFKA_ENV, external);
      return new Handle(new KafkaEndpoint(external), null);
    }
    Path dir = stateDir("kafka-" + ProcessHandle.current().pid());
    KafkaBroker broker = KafkaBroker.start(KafkaOptions.of(Ports.ephemeral(), Ports.ephemeral(), dir), dir.resolve("kafka.log"));
    return new Handle(new KafkaEndpoint(broker.bootstrapServers()), broker);
  }

  private static Handle registry() {
    String external = System.getenv(REGISTRY_ENV);
    if (external != null && !external.isBlank()) {
      require(Registries.answers(external), REGISTRY_ENV, external);
      return new Handle(new RegistryEndpoint(external), null);
    }
    Path log = stateDir("registry").resolve("schema-registry.log");
    ApicurioRegistry registry = ApicurioRegistry.start(RegistryOptions.inMemory(Ports.ephemeral(), Ports.ephemeral(), log));
    return new Handle(new RegistryEndpoint(registry.ccompatUrl()), registry);
  }

  private static Handle clickhouse() {
    String external = System.getenv(CLICKHOUSE_ENV);
    String password = System.getenv().getOrDefault("SPENDSTREAM_CH_PASSWORD", "");
    String oncall = System.getenv().getOrDefault("SPENDSTREAM_CH_ONCALL_PASSWORD", "oncall");
    if (external != null && !external.isBlank()) {
      require(ClickHouseEndpointProcess.pings(external), CLICKHOUSE_ENV, external);
      return new Handle(new ClickHouseEndpoint(external, "default", password, "oncall", oncall), null);
    }
    Path dir = stateDir("clickhouse-" + ProcessHandle.current().pid());
    ClickHouseEndpointProcess ch = ClickHouseEndpointProcess.start(Ports.ephemeral(), dir.resolve("data"), dir,
        dir.resolve("clickhouse.log"));
    return new Handle(new ClickHouseEndpoint(ch.url(), "default", password, "oncall", oncall), ch);
  }

  private static void require(boolean answers, String env, String value) {
    if (!answers) {
      throw new IllegalStateException(env + "=" + value + " does not answer; unset it to let the tests start their own");
    }
  }

  /** Stored in the root context so JUnit closes it once, after the last test of the JVM. */
  record Handle(Object endpoint, AutoCloseable owned) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      if (owned != null) {
        owned.close();
      }
    }
  }
}
