package io.spendstream.tools.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.spendstream.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The on-call team's webhook endpoint, for real: a local HTTP server that keeps every notification it receives.
 * Receivers dedupe by {@code idempotency_key}, so a repeat with the same key is harmless; one with a new key is not.
 */
final class WebhookReceiver implements AutoCloseable {
  /** One notification as received. */
  record Received(String idempotencyKey, String alertId, String tenant, String type, String dimensionValue) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  WebhookReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the webhook receiver: " + e.getMessage(), e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/hook", ex -> {
      try (ex) {
        JsonNode n = Json.MAPPER.readTree(ex.getRequestBody());
        JsonNode a = n.path("alert");
        received.add(new Received(n.path("idempotency_key").asText(), a.path("alert_id").asText(), a.path("tenant_id").asText(),
            a.path("type").asText(), a.path("dimension_value").asText()));
        ex.sendResponseHeaders(200, -1);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  List<Received> received(String tenant) {
    return received.stream().filter(r -> r.tenant().equals(tenant)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
