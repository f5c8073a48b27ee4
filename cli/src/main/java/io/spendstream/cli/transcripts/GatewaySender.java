package io.spendstream.cli.transcripts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Sends events to the gateway's {@code POST /v1/events} in NDJSON batches, as a tenant's client does: waits as long as
 * a 429 or 503 says (Retry-After) and sends the batch again (repeats are dropped by event_id), and stops at an answer
 * that another try cannot change (401, 403, 413, 415).
 */
public final class GatewaySender {
  private static final int MAX_ATTEMPTS = 10;

  /** What the gateway answered for every event sent, summed; {@code rejections} lists the first 20 reasons. */
  public record Totals(long accepted, long duplicates, long rejected, List<String> rejections) {}

  /** An answer that another try cannot change. */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  private final URI events;
  private final String key;
  private final int batch;

  public GatewaySender(URI gateway, String key, int batch) {
    this.events = gateway.resolve("/v1/events");
    this.key = key;
    this.batch = batch;
  }

  /** Sends every event; {@code progress} is told how many were sent so far after each batch. */
  public Totals send(List<ObjectNode> calls, LongConsumer progress) throws Refused, InterruptedException {
    long accepted = 0;
    long duplicates = 0;
    long rejected = 0;
    List<String> rejections = new ArrayList<>();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      for (int from = 0; from < calls.size(); from += batch) {
        List<ObjectNode> part = calls.subList(from, Math.min(calls.size(), from + batch));
        StringBuilder body = new StringBuilder();
        part.forEach(c -> body.append(c).append('\n'));
        JsonNode answer = post(http, body.toString());
        accepted += answer.path("accepted").asLong();
        duplicates += answer.path("duplicates").asLong();
        rejected += answer.path("rejected_count").asLong();
        for (JsonNode r : answer.path("rejected")) {
          if (rejections.size() < 20) {
            int i = r.path("index").asInt();
            rejections.add(part.get(i).path("event_id").asText() + ": " + r.path("field").asText() + " " + r.path("error").asText());
          }
        }
        progress.accept(from + part.size());
      }
    }
    return new Totals(accepted, duplicates, rejected, List.copyOf(rejections));
  }

  private JsonNode post(HttpClient http, String ndjson) throws Refused, InterruptedException {
    String last = "";
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      HttpResponse<String> r;
      try {
        r = http.send(HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(ndjson, StandardCharsets.UTF_8))
            .build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        last = "cannot reach " + events + ": " + e.getMessage();
        Thread.sleep(Math.min(10_000, 500L << attempt)); // backoff before the next try: the gateway may be restarting
        continue;
      }
      if (r.statusCode() == 202 || r.statusCode() == 400 && r.body().contains("\"rejected_count\"")) {
        try {
          return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
          throw new Refused("the gateway's answer is not JSON: " + r.body());
        }
      }
      if (r.statusCode() == 429 || r.statusCode() == 503) {
        last = r.statusCode() + " " + r.body();
        long wait = r.headers().firstValueAsLong("Retry-After").orElse(1);
        Thread.sleep(Duration.ofSeconds(Math.max(1, Math.min(60, wait))).toMillis()); // as long as the gateway asked
        continue;
      }
      throw new Refused("the gateway answered " + r.statusCode() + ": " + r.body());
    }
    throw new Refused("gave up after " + MAX_ATTEMPTS + " tries; last answer: " + last);
  }
}
