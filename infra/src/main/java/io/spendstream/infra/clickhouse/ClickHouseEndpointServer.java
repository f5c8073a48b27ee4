package io.spendstream.infra.clickhouse;

import com.sun.net.httpserver.HttpServer;
import io.spendstream.infra.process.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development ClickHouse server: the real ClickHouse engine (chDB, in this process) behind the
 * ClickHouse HTTP interface on 127.0.0.1, so production code using the official {@code com.clickhouse}
 * client runs unchanged against it. Production points the same client at a ClickHouse server or cluster.
 */
public final class ClickHouseEndpointServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClickHouseEndpointServer.class);
  private final HttpServer http;
  private final ExecutorService pool;
  private final ChdbEngine engine;
  private final Path tmpDir;

  private ClickHouseEndpointServer(HttpServer http, ExecutorService pool, ChdbEngine engine, Path tmpDir) {
    this.http = http;
    this.pool = pool;
    this.engine = engine;
    this.tmpDir = tmpDir;
  }

  public static ClickHouseEndpointServer start(EndpointConfig config) {
    Ports.requireFree(config.port(), "ClickHouse endpoint");
    ChdbEngine engine = ChdbEngine.open(config.libchdb(), config.dataDir(), config.readOnlyLimits());
    try {
      QueryResult tz = engine.admin().query("SELECT timezone()", "TabSeparated", Map.of());
      String timezone = tz.ok() ? new String(tz.data(), StandardCharsets.UTF_8).strip() : "UTC";
      Path tmp = Files.createDirectories(config.dataDir().resolve("http-tmp"));
      HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
      ExecutorService pool = Executors.newFixedThreadPool(config.threads(), Thread.ofPlatform().name("ch-http-", 0).factory());
      http.setExecutor(pool);
      http.createContext("/", new ClickHouseHttpHandler(config, engine, timezone, tmp));
      http.start();
      log.info("component=clickhouse event=listening url=http://127.0.0.1:{} data_dir={} timezone={}", config.port(),
          config.dataDir(), timezone);
      return new ClickHouseEndpointServer(http, pool, engine, tmp);
    } catch (IOException | RuntimeException e) {
      engine.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** Stops accepting, lets running requests finish (up to 5 s), then closes the engine. */
  @Override
  public void close() {
    http.stop(5);
    pool.shutdown();
    engine.close();
    try (Stream<Path> files = Files.walk(tmpDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("component=clickhouse event=tmp_cleanup_failed dir={}", tmpDir);
    }
  }
}
