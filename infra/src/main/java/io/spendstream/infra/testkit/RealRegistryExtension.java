package io.spendstream.infra.testkit;

import io.spendstream.infra.process.Ports;
import io.spendstream.infra.registry.ApicurioRegistry;
import io.spendstream.infra.registry.Registries;
import io.spendstream.infra.registry.RegistryOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real schema registry: the one named by {@code SPENDSTREAM_REGISTRY_URL} (e.g. started
 * by {@code spendstream up}) when it answers, otherwise an Apicurio Registry started once per test JVM
 * on free ports and stopped when the JVM's tests are done. Inject {@link RegistryEndpoint}.
 */
public final class RealRegistryExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RealRegistryExtension.class);
  public static final String URL_ENV = "SPENDSTREAM_REGISTRY_URL";

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    return pc.getParameter().getType() == RegistryEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    return ec.getRoot().getStore(NS).computeIfAbsent("registry", k -> acquire(), Handle.class).endpoint();
  }

  private static Handle acquire() {
    String external = System.getenv(URL_ENV);
    if (external != null && !external.isBlank()) {
      if (!Registries.answers(external)) {
        throw new IllegalStateException(URL_ENV + "=" + external + " does not answer GET /subjects; unset it to let the tests start their own registry");
      }
      return new Handle(new RegistryEndpoint(external), null);
    }
    Path log = Path.of("target", "test-infra", "schema-registry.log").toAbsolutePath();
    ApicurioRegistry registry = ApicurioRegistry.start(RegistryOptions.inMemory(Ports.ephemeral(), Ports.ephemeral(), log));
    return new Handle(new RegistryEndpoint(registry.ccompatUrl()), registry);
  }

  /** Stored in the root context so JUnit closes it once, after the last test of the JVM. */
  record Handle(RegistryEndpoint endpoint, ApicurioRegistry owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned != null) {
        owned.close();
      }
    }
  }
}
