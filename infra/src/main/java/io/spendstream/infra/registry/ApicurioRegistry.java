package io.spendstream.infra.registry;

import io.spendstream.infra.CacheDir;
import io.spendstream.infra.InfraVersions;
import io.spendstream.infra.process.JavaProcess;
import io.spendstream.infra.process.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry 3.x from Maven Central (unpacked into the cache by the infra build) as a child
 * process on loopback. Clients use its Confluent-compatible API, {@link #ccompatUrl()}, with global
 * compatibility set to BACKWARD.
 */
public final class ApicurioRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApicurioRegistry.class);
  public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final JavaProcess process;
  private final int port;

  private ApicurioRegistry(JavaProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Directory the build unpacked the registry into. */
  public static Path distribution() {
    return CacheDir.resolve().resolve("apicurio-registry-" + InfraVersions.apicurio());
  }

  public static ApicurioRegistry start(RegistryOptions options) {
    Path dist = distribution();
    if (!Files.isRegularFile(dist.resolve("quarkus-run.jar"))) {
      throw new IllegalStateException("Apicurio Registry " + InfraVersions.apicurio() + " is not unpacked at " + dist
          + ". Build the infra module first: mvn -pl infra -am package (./spendstream does this for you).");
    }
    Ports.requireFree(options.port(), "schema registry");
    Ports.requireFree(options.managementPort(), "schema registry management");
    List<String> jvm = new ArrayList<>(List.of(
        "-Xmx" + options.heapBytes() / (1024 * 1024) + "m",
        "-XX:+UseSerialGC",
        "-Dquarkus.http.host=127.0.0.1",
        "-Dquarkus.http.port=" + options.port(),
        "-Dquarkus.management.host=127.0.0.1",
        "-Dquarkus.management.port=" + options.managementPort(),
        "-Dquarkus.otel.enabled=false",
        "-Dquarkus.otel.sdk.disabled=true",
        "-Dquarkus.log.console.color=false",
        // A small pool is plenty for one developer machine and keeps start-up and heap down.
        "-Dapicurio.datasource.jdbc.initial-size=2",
        "-Dapicurio.datasource.jdbc.min-size=2"));
    options.dataDir().ifPresent(dir -> jvm.add("-Dapicurio.datasource.url=jdbc:h2:file:"
        + dir.toAbsolutePath().resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE"));
    long t0 = System.nanoTime();
    JavaProcess p = JavaProcess.start("schema-registry", dist, jvm, List.of("-jar", "quarkus-run.jar"), options.logFile());
    ApicurioRegistry registry = new ApicurioRegistry(p, options.port());
    try {
      p.awaitReady(registry::answers, START_TIMEOUT);
      registry.setGlobalCompatibility("BACKWARD");
    } catch (RuntimeException e) {
      p.close();
      throw e;
    }
    log.info("component=schema-registry event=ready url={} startup_ms={}", registry.ccompatUrl(),
        (System.nanoTime() - t0) / 1_000_000);
    return registry;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** The Confluent-compatible API root that the project's registry client talks to. */
  public String ccompatUrl() {
    return baseUrl() + CCOMPAT_PATH;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  boolean answers() {
    return Registries.answers(ccompatUrl());
  }

  private void setGlobalCompatibility(String level) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(ccompatUrl() + "/config"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/vnd.schemaregistry.v1+json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"" + level + "\"}"))
        .build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (resp.statusCode() != 200) {
        throw new IllegalStateException("could not set registry compatibility to " + level + ": HTTP "
            + resp.statusCode() + " " + resp.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not set registry compatibility: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
