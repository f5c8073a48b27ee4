package io.spendstream.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.ops.Failures;
import io.spendstream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link DemoTraffic} to a gateway: every tick, one NDJSON batch per tenant with that tenant's key. A batch
 * the gateway did not acknowledge (503, 429, connection refused) is sent again, unchanged, after a pause — nothing
 * is dropped, and repeats are absorbed by event_id dedupe. Counts what the gateway acknowledged.
 */
public final class Loadgen implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(Loadgen.class);
  private final URI events;
  private final Map<String, String> keys;
  private final DemoTraffic traffic;
  private final Duration tick;
  private final Duration duration;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicBoolean running = new AtomicBoolean(true);
  public final LongAdder accepted = new LongAdder();
  public final LongAdder duplicates = new LongAdder();
  public final LongAdder rejected = new LongAdder();
  public final LongAdder retried = new LongAdder();
  private volatile String lastError = "";
  private List<ObjectNode> history = List.of();

  /** Events to send before the live traffic (e.g. {@link DemoHistory}), in batches of 1,000 per tenant. */
  public Loadgen startingWith(List<ObjectNode> history) {
    this.history = List.copyOf(history);
    return this;
  }

  /** {@code keys}: tenant → API key; {@code duration} null = until stopped. */
  public Loadgen(URI gateway, Map<String, String> keys, DemoTraffic traffic, Duration tick, Duration duration) {
    this.events = gateway.resolve("/v1/events");
    this.keys = new LinkedHashMap<>(keys);
    this.traffic = traffic;
    this.tick = tick;
    this.duration = duration;
  }

  @Override
  public void run() {
    Map<String, List<ObjectNode>> past = new LinkedHashMap<>();
    history.forEach(e -> past.computeIfAbsent(e.get("tenant_id").asText(), t -> new ArrayList<>()).add(e));
    past.forEach((tenant, events) -> {
      for (int i = 0; i < events.size() && running.get(); i += 1000) {
        sendUntilAcknowledged(tenant, events.subList(i, Math.min(events.size(), i + 1000)));
      }
    });
    long start = System.nanoTime();
    Pacer pacer = new Pacer(tick);
    while (running.get()) {
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      if (duration != null && elapsed.compareTo(duration) >= 0) {
        break;
      }
      Map<String, List<ObjectNode>> byTenant = new LinkedHashMap<>();
      for (ObjectNode e : traffic.tick(elapsed, tick, Instant.now())) {
        byTenant.computeIfAbsent(e.get("tenant_id").asText(), t -> new ArrayList<>()).add(e);
      }
      byTenant.forEach(this::sendUntilAcknowledged);
      if (!pacer.awaitNext()) {
        return;
      }
    }
  }

  private void sendUntilAcknowledged(String tenant, List<ObjectNode> batch) {
    String key = keys.get(tenant);
    StringBuilder body = new StringBuilder();
    batch.forEach(e -> body.append(e.toString()).append('\n'));
    HttpRequest req = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
        .build();
    long backoff = 200;
    while (running.get()) {
      try {
        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 202 || r.statusCode() == 400) {
          JsonNode j = Json.MAPPER.readTree(r.body());
          accepted.add(j.path("accepted").asLong());
          duplicates.add(j.path("duplicates").asLong());
          rejected.add(j.path("rejected_count").asLong());
          return;
        }
        lastError = "HTTP " + r.statusCode();
        if (r.statusCode() != 503 && r.statusCode() != 429) {
          LOG.warn("event=loadgen_refused tenant={} status={} body={}", tenant, r.statusCode(), r.body());
          rejected.add(batch.size());
          return;
        }
      } catch (IOException e) {
        lastError = Failures.rootMessage(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      retried.increment();
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      backoff = Math.min(backoff * 2, 5_000);
    }
  }

  public String lastError() {
    return lastError;
  }

  public void stop() {
    running.set(false);
  }
}
