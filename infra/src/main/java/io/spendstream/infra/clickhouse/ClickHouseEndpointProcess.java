package io.spendstream.infra.clickhouse;

import io.spendstream.infra.process.ChildLogging;
import io.spendstream.infra.process.HttpProbe;
import io.spendstream.infra.process.JavaProcess;
import io.spendstream.infra.process.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The ClickHouse endpoint as its own process (one process per data path, as chDB requires). */
public final class ClickHouseEndpointProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClickHouseEndpointProcess.class);
  private final JavaProcess process;
  private final int port;
  private final String adminPassword;

  private ClickHouseEndpointProcess(JavaProcess process, int port, String adminPassword) {
    this.process = process;
    this.port = port;
    this.adminPassword = adminPassword;
  }

  /** The admin password from this process's {@code SPENDSTREAM_CH_PASSWORD} (empty when unset: tests). */
  public static ClickHouseEndpointProcess start(int port, Path dataDir, Path stateDir, Path logFile) {
    return start(port, dataDir, stateDir, logFile, System.getenv().getOrDefault("SPENDSTREAM_CH_PASSWORD", ""));
  }

  public static ClickHouseEndpointProcess start(int port, Path dataDir, Path stateDir, Path logFile, String adminPassword) {
    Ports.requireFree(port, "ClickHouse endpoint");
    Path lib = ChdbDistribution.library();
    long t0 = System.nanoTime();
    JavaProcess p = JavaProcess.start("clickhouse", stateDir, List.of("-Xmx768m", "-XX:+UseSerialGC",
        "--enable-native-access=ALL-UNNAMED", ChildLogging.jvmArg(stateDir), "-cp", ChildLogging.classpath()),
        List.of(ClickHouseEndpointMain.class.getName(), "--port", String.valueOf(port), "--data-dir",
            dataDir.toAbsolutePath().toString(), "--libchdb", lib.toString()), logFile,
        java.util.Map.of("SPENDSTREAM_CH_PASSWORD", adminPassword));
    p.awaitReady(() -> pings("http://127.0.0.1:" + port), Duration.ofSeconds(60));
    log.info("component=clickhouse event=ready url=http://127.0.0.1:{} startup_ms={}", port, (System.nanoTime() - t0) / 1_000_000);
    return new ClickHouseEndpointProcess(p, port, adminPassword);
  }

  /** True when {@code GET <url>/ping} answers {@code Ok.}. */
  public static boolean pings(String url) {
    return HttpProbe.body(url + "/ping").map(b -> b.startsWith("Ok.")).orElse(false);
  }

  /** {@code CREATE DATABASE IF NOT EXISTS}: the endpoint starts with only {@code default}. */
  public void createDatabase(String database) {
    String sql = "CREATE DATABASE IF NOT EXISTS " + database;
    String admin = "default:" + adminPassword; // as the admin: the endpoint refuses anonymous requests
    HttpRequest req = HttpRequest.newBuilder(URI.create(url() + "/?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
        .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(admin.getBytes(StandardCharsets.UTF_8)))
        .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("could not create ClickHouse database " + database + ": " + r.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not create ClickHouse database " + database + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.close();
  }
}
