package io.spendstream.sink;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The real registry behind a loopback proxy that can be switched off: while off it answers 503 like a
 * registry that is down or restarting, so a test can start a service "with the registry down" and bring
 * the registry back without restarting either.
 */
final class SwitchableRegistry implements AutoCloseable {
  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final AtomicBoolean up = new AtomicBoolean();
  final AtomicLong refused = new AtomicLong();

  SwitchableRegistry(String realUrl) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      try (exchange) {
        if (!up.get()) {
          refused.incrementAndGet();
          exchange.sendResponseHeaders(503, -1);
          return;
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(realUrl + exchange.getRequestURI().toString()))
            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
          req.header("Content-Type", type);
        }
        HttpResponse<byte[]> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        resp.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
        exchange.sendResponseHeaders(resp.statusCode(), resp.body().length == 0 ? -1 : resp.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(resp.body());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  void up(boolean on) {
    up.set(on);
  }

  @Override
  public void close() {
    server.stop(0);
    client.close();
  }
}
