package io.spendstream.alerting;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver started by the test (the stand-in for a customer's webhook, Slack or PagerDuty): records
 * every request with its headers and raw body, and answers with scripted statuses, optionally slowly.
 */
public final class Receiver implements AutoCloseable {
  /** One request as it arrived. */
  public record Request(Map<String, List<String>> headers, byte[] body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().getFirst();
        }
      }
      return null;
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final HttpServer server;
  private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
  private final List<Integer> script;
  private final AtomicInteger calls = new AtomicInteger();
  private final long delayMs;

  /** Answers the scripted statuses in turn, then {@code finalStatus} (2xx = accepted and recorded as delivered). */
  public Receiver(List<Integer> script, int finalStatus, long delayMs) {
    this.script = new ArrayList<>(script);
    this.script.add(finalStatus);
    this.delayMs = delayMs;
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      int n = calls.getAndIncrement();
      int status = this.script.get(Math.min(n, this.script.size() - 1));
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (status / 100 == 2) {
        requests.add(new Request(Map.copyOf(ex.getRequestHeaders()), body));
      }
      byte[] answer = (status / 100 == 2 ? "ok" : "{\"error\":\"scripted " + status + "\"}").getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, answer.length);
      ex.getResponseBody().write(answer);
      ex.close();
    });
    server.start();
  }

  public static Receiver accepting() {
    return new Receiver(List.of(), 200, 0);
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Requests answered with 2xx, in arrival order. */
  public List<Request> accepted() {
    return List.copyOf(requests);
  }

  /** Every request, accepted or not. */
  public int calls() {
    return calls.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
