package io.spendstream.tools.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.schemas.json.AvroJson;
import io.spendstream.schemas.json.Json;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Realistic LLM-call events in the documented JSON form: a few tenants and routes, three models by
 * popularity, long-tailed token counts, cache use, occasional errors and max_tokens stops. Seeded, so a
 * benchmark run is repeatable.
 */
public final class CallGenerator {
  private static final String[] TENANTS = {"acme", "globex", "initech", "umbrella", "hooli"};
  private static final String[] ROUTES = {"/v1/chat", "/v1/summarize", "/v1/search/answer", "/v1/agent/step",
      "/v1/classify", "/v1/extract", "/v1/translate", "/v1/code/review"};
  private static final String[] MODELS = {"claude-haiku-4-5", "claude-sonnet-4-6-20260315", "claude-opus-4-7"};
  private final SplittableRandom rnd;
  private long sequence;
  /** Per tenant: its current agent run (task) and the calls left in it. */
  private final java.util.Map<String, long[]> runs = new java.util.HashMap<>();

  public CallGenerator(long seed) {
    this.rnd = new SplittableRandom(seed);
  }

  /**
   * Calls come in agent runs (tasks) of 1 to 10 consecutive calls of a tenant, as an agent or a chat session sends
   * them: below RUNAWAY_TASK's 12 hops, so only the injected runaway loops.
   */
  private String task(String tenant) {
    long[] run = runs.computeIfAbsent(tenant, t -> new long[] {0, 0});
    if (run[1] == 0) {
      run[0]++;
      run[1] = 1 + rnd.nextInt(10);
    }
    run[1]--;
    return "t-" + tenant + "-" + run[0];
  }

  public String tenant(int i) {
    return TENANTS[i % TENANTS.length];
  }

  /** One event as JSON, for the given tenant, at {@code at}. */
  public ObjectNode next(String tenant, Instant at) {
    long n = sequence++;
    double m = rnd.nextDouble();
    String model = m < 0.55 ? MODELS[0] : m < 0.93 ? MODELS[1] : MODELS[2];
    long input = longTail(400, 30_000);
    long output = longTail(60, 4_000);
    boolean cached = rnd.nextDouble() < 0.6;
    boolean error = rnd.nextDouble() < 0.02;
    ObjectNode e = Json.MAPPER.createObjectNode()
        .put("event_id", "bench-" + Long.toHexString(rnd.nextLong()) + "-" + n)
        .put("timestamp", AvroJson.timestamp(at))
        .put("tenant_id", tenant)
        .put("model", model)
        .put("route", ROUTES[rnd.nextInt(ROUTES.length)])
        .put("feature", "f" + rnd.nextInt(12))
        .put("user_id", "u" + rnd.nextInt(5000))
        .put("task_id", task(tenant))
        // distinct prompts: a repeated hash is a retry, and storms are injected on purpose, not by chance
        .put("prompt_hash", String.format("%016x", rnd.nextLong()))
        .put("latency_ms", 200 + longTail(300, 60_000))
        .put("status_code", error ? (rnd.nextBoolean() ? 429 : 529) : 200)
        .put("stop_reason", error ? null : rnd.nextDouble() < 0.05 ? "max_tokens" : "end_turn");
    if (error) {
      e.put("error_type", "rate_limit_error");
    }
    ObjectNode usage = e.putObject("usage").put("input_tokens", input).put("output_tokens", error ? 0 : output)
        .put("cache_read_input_tokens", cached ? longTail(1_000, 100_000) : 0);
    long write = cached && rnd.nextDouble() < 0.2 ? longTail(500, 20_000) : 0;
    usage.put("cache_creation_input_tokens", write);
    usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", write).put("ephemeral_1h_input_tokens", 0);
    return e;
  }

  /** Roughly log-uniform between min and max: many small values, a few large ones. */
  private long longTail(long min, long max) {
    return (long) (min * Math.pow((double) max / min, Math.pow(rnd.nextDouble(), 2)));
  }
}
