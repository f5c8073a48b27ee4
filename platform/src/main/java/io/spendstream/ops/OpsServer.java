package io.spendstream.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operations endpoints of a service without its own web server: {@code /healthz} (alive),
 * {@code /readyz} (doing its job) and {@code /metrics} (Prometheus text).
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer http;

  private OpsServer(HttpServer http) {
    this.http = http;
  }

  public static OpsServer start(String host, int port, BooleanSupplier alive, BooleanSupplier ready,
      Supplier<String> status, Supplier<String> prometheus) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    http.createContext("/healthz", ex -> respond(ex, alive.getAsBoolean() ? 200 : 503, "text/plain", status.get()));
    http.createContext("/readyz", ex -> respond(ex, ready.getAsBoolean() ? 200 : 503, "text/plain", status.get()));
    http.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", prometheus.get()));
    http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    http.start();
    return new OpsServer(http);
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** Serves more than the operations endpoints (a page, an API) from the same port. */
  public void handle(String path, HttpHandler handler) {
    http.createContext(path, handler);
  }

  public static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
