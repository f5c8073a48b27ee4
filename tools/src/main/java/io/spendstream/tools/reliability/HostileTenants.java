package io.spendstream.tools.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.tools.bench.CallGenerator;
import io.spendstream.schemas.CallLimits;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenarios where another tenant is the fault: it reuses this tenant's event ids, or floods the gateway with the
 * largest calls it accepts. This tenant's accounting must stay exact, and the other tenant's accepted calls must
 * land too: nobody's spend vanishes or stops anybody else's.
 */
final class HostileTenants {
  private HostileTenants() {}

  /** Another tenant sends calls under ids this tenant already used: both must land and both be billed. */
  static ReliabilitySuite.Scenario idCollision() {
    String other = "rel-id-collision-other";
    Set<String> reused = ConcurrentHashMap.newKeySet();
    return new ReliabilitySuite.Scenario("tenant-id-collision",
        "another tenant sends 300 calls reusing this tenant's acknowledged event_ids", false, stack -> { },
        (stack, load) -> {
          List<String> ids = new ArrayList<>(load.acked()).subList(0, Math.min(300, load.acked().size()));
          CallGenerator g = new CallGenerator(31);
          for (int i = 0; i < ids.size(); i += 100) {
            List<ObjectNode> batch = new ArrayList<>();
            for (String id : ids.subList(i, Math.min(i + 100, ids.size()))) {
              batch.add(g.next(other, Instant.now()).put("event_id", id));
            }
            if (post(stack, other, batch).statusCode() == 202) {
              batch.forEach(e -> reused.add(e.get("event_id").asText()));
            }
          }
        },
        (load, ledger, notes) -> {
          Map<String, Long> rows = ledger.rowsPerEvent(other);
          long landedOnce = reused.stream().filter(id -> rows.getOrDefault(id, 0L) == 1).count();
          long alsoOurs = reused.stream().filter(load.acked()::contains).count();
          notes.add("other tenant's calls under reused ids landed once: %d/%d (ids also acked here: %d)".formatted(landedOnce,
              reused.size(), alsoOurs));
          return landedOnce == reused.size() && !reused.isEmpty() && alsoOurs == reused.size() ? List.of()
              : List.of("reused ids: " + landedOnce + " of " + reused.size() + " landed for the other tenant");
        }, List.of(other));
  }

  /**
   * Another tenant floods the gateway for 5 s with calls at the plausibility limit (10M tokens of each kind on
   * the most expensive model, ~$1,100 a call) and one batch past it. The limit is refused with a 400 naming the
   * field; what is accepted is priced and lands; this tenant's traffic goes on exact.
   */
  static ReliabilitySuite.Scenario flood() {
    String flooder = "rel-flood-other";
    AtomicLong accepted = new AtomicLong();
    AtomicLong limited = new AtomicLong();
    List<String> overLimit = new ArrayList<>();
    return new ReliabilitySuite.Scenario("hostile-flood",
        "another tenant floods the gateway 5 s with maximal calls (10M tokens of each kind on opus) and one past the limit",
        false, stack -> { },
        (stack, load) -> {
          CallGenerator g = new CallGenerator(47);
          long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
          while (System.nanoTime() < until) {
            List<ObjectNode> batch = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
              batch.add(maximal(g.next(flooder, Instant.now()), CallLimits.MAX_TOKENS_PER_COUNT));
            }
            HttpResponse<String> r = post(stack, flooder, batch);
            if (r.statusCode() == 202) {
              accepted.addAndGet(Json.MAPPER.readTree(r.body()).path("accepted").asLong());
            } else {
              limited.incrementAndGet();
            }
          }
          load.injectStorm();
          HttpResponse<String> over = post(stack, flooder, List.of(maximal(g.next(flooder, Instant.now()),
              CallLimits.MAX_TOKENS_PER_COUNT + 1)));
          overLimit.add(over.statusCode() + " " + over.body());
        },
        (load, ledger, notes) -> {
          long landed = ledger.distinctEvents(flooder);
          notes.add("flood: %d maximal calls accepted and landed %d, %d batches refused (429/503); past the limit: %s".formatted(
              accepted.get(), landed, limited.get(), overLimit.isEmpty() ? "not sent" : overLimit.getFirst().substring(0, 3)));
          List<String> failed = new ArrayList<>();
          if (landed != accepted.get() || accepted.get() == 0) {
            failed.add("flood: " + accepted.get() + " accepted, " + landed + " in ClickHouse");
          }
          if (overLimit.isEmpty() || !overLimit.getFirst().startsWith("400") || !overLimit.getFirst().contains("output_tokens")) {
            failed.add("a call past the token limit was not refused with a 400 naming the field: " + overLimit);
          }
          return failed;
        }, List.of(flooder));
  }

  /**
   * Every hostile input of the edges, tried against the running stack while this tenant's load goes on: each must
   * get its own clear refusal, and this tenant's calls must land exact meanwhile.
   */
  static ReliabilitySuite.Scenario hostileEdges() {
    String other = "rel-edges-other";
    List<String> outcomes = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    return new ReliabilitySuite.Scenario("hostile-edges",
        "another tenant: received_at in year 10000 and +999999999, a 5 MiB array of {}, the OTLP amplification export,"
            + " a bidi route, /metrics on the ingest port; a web page and an anonymous caller at ClickHouse; the on-call"
            + " user reading /etc/passwd and lifting its limits", false, stack -> { },
        (stack, load) -> {
          CallGenerator g = new CallGenerator(53);
          for (String when : List.of("+10000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z")) {
            expect(outcomes, failures, "received_at " + when, post(stack, other, List.of(g.next(other, Instant.now())
                .put("received_at", when))), 400, "received_at");
          }
          expect(outcomes, failures, "route with U+202E", post(stack, other, List.of(g.next(other, Instant.now())
              .put("route", "/v1/\u202Etxt.exe"))), 400, "route");
          expect(outcomes, failures, "5 MiB array of {}", raw(stack, other, "/v1/events", "application/json",
              ("[" + "{},".repeat(1_747_000) + "{}]").getBytes(StandardCharsets.UTF_8)), 413, "batch_too_large");
          expect(outcomes, failures, "OTLP 2,000 resource attributes x 20,000 spans", raw(stack, other, "/v1/otlp/v1/traces",
              "application/x-protobuf", amplification()), 413, "");
          load.injectStorm();
          expect(outcomes, failures, "GET /metrics on the ingest port", get(stack.gateway().resolve("/metrics")), 404, "");
          URI ch = URI.create(stack.clickhouseUrl() + "/");
          expect(outcomes, failures, "anonymous DROP DATABASE", clickhouse(ch, null, null, "DROP DATABASE " + SuiteStack.DATABASE),
              401, "authentication required");
          expect(outcomes, failures, "web page DROP DATABASE", clickhouse(ch, "default:", "http://evil.example",
              "DROP DATABASE " + SuiteStack.DATABASE), 403, "web pages");
          expect(outcomes, failures, "on-call file('/etc/passwd')", clickhouse(ch, "oncall:oncall", null,
              "SELECT * FROM file('/etc/passwd', 'LineAsString')"), 403, "table function file()");
          expect(outcomes, failures, "on-call SETTINGS max_execution_time=0", clickhouse(ch, "oncall:oncall", null,
              "SELECT count() FROM " + SuiteStack.DATABASE + ".llm_calls SETTINGS max_execution_time = 0"), 403, "SETTINGS");
        },
        (load, ledger, notes) -> {
          notes.add("refused as they should: " + outcomes.size() + "/" + (outcomes.size() + failures.size()) + " ("
              + String.join("; ", outcomes) + ")");
          return List.copyOf(failures);
        }, List.of(other));
  }

  private static void expect(List<String> outcomes, List<String> failures, String what, HttpResponse<String> r, int status,
      String mention) {
    if (r.statusCode() == status && r.body().contains(mention)) {
      outcomes.add(what + " " + status);
    } else {
      failures.add(what + ": expected " + status + " mentioning '" + mention + "', got " + r.statusCode() + " "
          + r.body().substring(0, Math.min(200, r.body().length())));
    }
  }

  private static byte[] amplification() {
    io.opentelemetry.proto.resource.v1.Resource.Builder r = io.opentelemetry.proto.resource.v1.Resource.newBuilder();
    for (int a = 0; a < 2_000; a++) {
      r.addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("r" + a)
          .setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("v")));
    }
    io.opentelemetry.proto.trace.v1.ScopeSpans.Builder ss = io.opentelemetry.proto.trace.v1.ScopeSpans.newBuilder();
    for (int n = 0; n < 20_000; n++) {
      ss.addSpans(io.opentelemetry.proto.trace.v1.Span.newBuilder());
    }
    return io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.newBuilder().addResourceSpans(
        io.opentelemetry.proto.trace.v1.ResourceSpans.newBuilder().setResource(r).addScopeSpans(ss)).build().toByteArray();
  }

  private static HttpResponse<String> raw(SuiteStack stack, String tenant, String path, String type, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest req = HttpRequest.newBuilder(stack.gateway().resolve(path)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + stack.key(tenant)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    }
  }

  private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static HttpResponse<String> clickhouse(URI uri, String basic, String origin, String sql)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(sql, StandardCharsets.UTF_8));
    if (basic != null) {
      b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    if (origin != null) {
      b.header("Origin", origin).header("Content-Type", "text/plain");
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static ObjectNode maximal(ObjectNode e, long tokens) {
    e.put("model", "claude-opus-4-7").put("status_code", 200).put("stop_reason", "end_turn").remove("error_type");
    ObjectNode usage = e.putObject("usage").put("input_tokens", tokens).put("output_tokens", tokens)
        .put("cache_read_input_tokens", tokens).put("cache_creation_input_tokens", tokens);
    usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", tokens).put("ephemeral_1h_input_tokens", 0);
    return e;
  }

  private static HttpResponse<String> post(SuiteStack stack, String tenant, List<? extends JsonNode> events)
      throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder();
    for (JsonNode e : events) {
      body.append(e.toString()).append('\n');
    }
    HttpRequest req = HttpRequest.newBuilder(stack.gateway().resolve("/v1/events")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + stack.key(tenant)).header("Content-Type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    }
  }
}
