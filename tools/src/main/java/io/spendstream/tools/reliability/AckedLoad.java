package io.spendstream.tools.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.tools.bench.CallGenerator;
import io.spendstream.tools.demo.Pacer;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Steady load through the gateway with exact accounting: every tick one NDJSON batch for one tenant; a batch that
 * was not answered 202/400 (503, 429, connection refused or reset, timeout) is sent again unchanged until it is, as
 * a client following the gateway's contract does. An event counts as acknowledged only when a 2xx answer did not
 * list it as rejected. Retry storms (several calls with one prompt hash) and bad input can be mixed in.
 */
final class AckedLoad {
  /** A hostile string that is still a valid route: it must land byte for byte and break nothing. */
  static final String HOSTILE_ROUTE = "/v1/x'; DROP TABLE llm_calls; -- <script>alert(1)</script> \"q\" \\ ✓ 𝄞";
  static final String UNKNOWN_MODEL = "claude-unknown-reliability-1";
  static final int STORM_CALLS = 8;

  private final URI events;
  private final String tenant;
  private final String key;
  private final int batchSize;
  private final Duration tick;
  private final boolean badInput;
  private final CallGenerator calls;
  private final SplittableRandom hashes;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ConcurrentLinkedQueue<String> pendingStorms = new ConcurrentLinkedQueue<>();
  private final Set<String> acked = ConcurrentHashMap.newKeySet();
  private final Set<String> stormHashes = ConcurrentHashMap.newKeySet();
  final LongAdder hostileAcked = new LongAdder();
  final LongAdder unknownModelAcked = new LongAdder();
  final LongAdder badLinesSent = new LongAdder();
  final LongAdder badLinesRejected = new LongAdder();
  final LongAdder unavailable = new LongAdder();
  final LongAdder connectionErrors = new LongAdder();
  final LongAdder resends = new LongAdder();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private volatile String lastProblem = "";
  private volatile RuntimeException failure;
  private Thread thread;
  private long sequence;

  /** {@code rate} events per second, sent as batches every {@code tick}. */
  AckedLoad(URI gateway, String tenant, String key, int rate, Duration tick, boolean badInput, long seed) {
    this.events = gateway.resolve("/v1/events");
    this.tenant = tenant;
    this.key = key;
    this.tick = tick;
    this.batchSize = Math.max(1, (int) Math.round(rate * tick.toMillis() / 1000.0));
    this.badInput = badInput;
    this.calls = new CallGenerator(seed);
    this.hashes = new SplittableRandom(seed);
  }

  AckedLoad start() {
    thread = Thread.ofPlatform().name("load-" + tenant).start(this::run);
    return this;
  }

  /** The next batch carries {@link #STORM_CALLS} calls with one new prompt hash; returns it. */
  String injectStorm() {
    String hash = "%016x".formatted(hashes.nextLong()); // the gateway's prompt_hash: at most 16 characters
    pendingStorms.add(hash);
    return hash;
  }

  /** Stops making new batches, finishes (acknowledges) the one in hand, and returns. */
  void stopAndDrain(Duration timeout) throws InterruptedException {
    running.set(false);
    thread.join(timeout);
    if (failure != null) {
      throw new IllegalStateException("load for " + tenant + " failed: " + failure.getMessage(), failure);
    }
    if (thread.isAlive()) {
      throw new IllegalStateException("load for " + tenant + " could not get its last batch acknowledged within " + timeout
          + " (last problem: " + lastProblem + ")");
    }
  }

  private void run() {
    try {
      send();
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  private void send() {
    Pacer pacer = new Pacer(tick);
    while (running.get() || !pendingStorms.isEmpty()) {
      List<ObjectNode> good = new ArrayList<>();
      for (int i = 0; i < batchSize; i++) {
        good.add(calls.next(tenant, Instant.now()));
      }
      for (String hash = pendingStorms.poll(); hash != null; hash = pendingStorms.poll()) {
        Instant at = Instant.now();
        for (int i = 0; i < STORM_CALLS; i++) {
          ObjectNode e = calls.next(tenant, at.plusMillis(i * 50L));
          e.put("prompt_hash", hash);
          good.add(e);
        }
        stormHashes.add(hash);
      }
      List<String> lines = new ArrayList<>();
      good.forEach(e -> lines.add(e.toString()));
      if (badInput) {
        mixInBadInput(good, lines);
      }
      sendUntilAnswered(good, lines);
      if (!pacer.awaitNext()) {
        return;
      }
    }
  }

  /**
   * Adds one event with a hostile route, one with an unknown model (both valid: they must be acknowledged and
   * land), and five lines the gateway must refuse: broken JSON, a missing field, a negative token count, control
   * characters in a string, a bidi override (U+202E) that would make a route read backwards.
   */
  private void mixInBadInput(List<ObjectNode> good, List<String> lines) {
    ObjectNode hostile = calls.next(tenant, Instant.now());
    hostile.put("route", HOSTILE_ROUTE).put("feature", "ünïcødé ✓ 𝄞 mixed scripts ΑΒΓ").put("user_id", "Robert'); DROP TABLE x;--");
    ObjectNode unknown = calls.next(tenant, Instant.now()).put("model", UNKNOWN_MODEL);
    good.add(hostile);
    good.add(unknown);
    lines.add(hostile.toString());
    lines.add(unknown.toString());
    ObjectNode missing = calls.next(tenant, Instant.now());
    missing.remove("model");
    ObjectNode negative = calls.next(tenant, Instant.now());
    ((ObjectNode) negative.get("usage")).put("output_tokens", -5);
    lines.add("{\"event_id\": \"broken-" + (sequence++) + "\", \"tenant_id\": ");
    lines.add(missing.toString());
    lines.add(negative.toString());
    lines.add(calls.next(tenant, Instant.now()).put("user_id", "u\tsplit\nline").toString());
    lines.add(calls.next(tenant, Instant.now()).put("route", "/v1/\u202Etxt.exe").toString());
    badLinesSent.add(5);
  }

  private void sendUntilAnswered(List<ObjectNode> good, List<String> lines) {
    String body = String.join("\n", lines) + "\n";
    HttpRequest req = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    long backoff = 100;
    for (int attempt = 0; ; attempt++) {
      if (attempt > 0) {
        resends.increment();
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(backoff * 2, 2_000);
      }
      HttpResponse<String> r;
      try {
        r = http.send(req, HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        connectionErrors.increment();
        lastProblem = Failures.rootMessage(e);
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      statuses.computeIfAbsent(r.statusCode(), s -> new LongAdder()).increment();
      if (r.statusCode() == 503 || r.statusCode() == 429 || r.statusCode() >= 500) {
        unavailable.increment();
        lastProblem = "HTTP " + r.statusCode() + " " + r.body();
        continue;
      }
      if (r.statusCode() != 202 && r.statusCode() != 400) {
        throw new IllegalStateException("gateway answered " + r.statusCode() + " to a batch for " + tenant + ": " + r.body());
      }
      account(good, lines, r.body());
      return;
    }
  }

  private void account(List<ObjectNode> good, List<String> lines, String answer) {
    JsonNode j;
    try {
      j = Json.MAPPER.readTree(answer);
    } catch (IOException e) {
      throw new IllegalStateException("gateway answer is not JSON: " + answer, e);
    }
    Set<Integer> rejected = new HashSet<>();
    j.path("rejected").forEach(x -> rejected.add(x.path("index").asInt()));
    if (rejected.size() != j.path("rejected_count").asInt()) {
      throw new IllegalStateException("gateway listed " + rejected.size() + " of " + j.path("rejected_count") + " rejections");
    }
    for (int i = 0; i < lines.size(); i++) {
      if (i >= good.size()) {
        if (rejected.contains(i)) {
          badLinesRejected.increment();
        }
        continue;
      }
      if (rejected.contains(i)) {
        throw new IllegalStateException("gateway rejected a valid event " + lines.get(i) + ": " + answer);
      }
      ObjectNode e = good.get(i);
      acked.add(e.get("event_id").asText());
      if (HOSTILE_ROUTE.equals(e.get("route").asText())) {
        hostileAcked.increment();
      }
      if (UNKNOWN_MODEL.equals(e.get("model").asText())) {
        unknownModelAcked.increment();
      }
    }
    // a bad line the gateway did not refuse would be counted neither way: the suite reports it
  }

  Set<String> acked() {
    return Set.copyOf(acked);
  }

  Set<String> stormHashes() {
    return Set.copyOf(stormHashes);
  }

  String tenant() {
    return tenant;
  }

  String statuses() {
    StringBuilder b = new StringBuilder();
    statuses.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> b.append(b.isEmpty() ? "" : " ").append(e.getKey()).append('×').append(e.getValue().sum()));
    return b.toString();
  }
}
