package io.spendstream.tools.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.tools.bench.CallGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Demo traffic: realistic calls (see {@link CallGenerator}) for a few tenants with a daily rhythm compressed into
 * {@code dayLength}, and — after {@code warmup}, then once per cycle of two days — incidents on top:
 * <ol>
 *   <li>the alert catalogue's route incidents in the first 25 s: an outage on {@code /v1/ocr} (NO_SUCCESS),
 *       every other call failing on {@code /v1/moderate} (ERROR_RATE), 30 s answers on {@code /v1/report}
 *       (LATENCY_P95), answers cut at max_tokens on {@code /v1/draft} (TRUNCATION_RATE), 429s on
 *       {@code /v1/tag} (RATE_LIMITED);
 *   <li>a <b>retry storm</b>: the first tenant retries one prompt 15 times in 20 s against an overloaded model
 *       (status 529, no output);
 *   <li>a <b>cost spike</b> 30 s later: the second tenant's {@code /v1/search/answer} route sends 15× the tokens
 *       to the largest model for 60 s;
 *   <li>a <b>runaway task</b> 60 s later: an agent of the third tenant loops on {@code /v1/agent/step} for 90 s,
 *       two calls a second, its context growing by 8,000 tokens per step (RUNAWAY_TASK).
 * </ol>
 * Pure: {@link #tick} says what to send for a stretch of time; the caller sends it.
 */
public final class DemoTraffic {
  static final String STORM_ROUTE = "/v1/chat";
  static final String SPIKE_ROUTE = "/v1/search/answer";
  static final String RUNAWAY_ROUTE = "/v1/agent/step";
  // routes the ordinary traffic does not use, so each incident is alone on its route
  static final String OUTAGE_ROUTE = "/v1/ocr";
  static final String FLAKY_ROUTE = "/v1/moderate";
  static final String SLOW_ROUTE = "/v1/report";
  static final String CUT_ROUTE = "/v1/draft";
  static final String LIMITED_ROUTE = "/v1/tag";
  private final List<String> tenants;
  private final double ratePerSecond;
  private final Duration dayLength;
  private final Duration warmup;
  private final CallGenerator calls;
  private final SplittableRandom rnd;
  private double owed;
  private long incidentCycle = -1;
  private String stormHash;
  private long runawaySteps;

  public DemoTraffic(List<String> tenants, double ratePerSecond, Duration dayLength, Duration warmup, long seed) {
    if (tenants.isEmpty()) {
      throw new IllegalArgumentException("at least one tenant");
    }
    this.tenants = List.copyOf(tenants);
    this.ratePerSecond = ratePerSecond;
    this.dayLength = dayLength;
    this.warmup = warmup;
    this.calls = new CallGenerator(seed);
    this.rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
  }

  /** The rate at {@code elapsed}: 0.6–1.4 × the base rate over a compressed day (quiet night, busy afternoon). */
  public double rateAt(Duration elapsed) {
    double phase = (double) elapsed.toMillis() / dayLength.toMillis();
    return ratePerSecond * (1.0 + 0.4 * Math.sin(2 * Math.PI * phase - Math.PI / 2));
  }

  /** The events to send for the stretch (elapsed − step, elapsed], stamped {@code now}. */
  public List<ObjectNode> tick(Duration elapsed, Duration step, Instant now) {
    List<ObjectNode> out = new ArrayList<>();
    owed += rateAt(elapsed) * step.toMillis() / 1000.0;
    while (owed >= 1) {
      owed -= 1;
      String tenant = tenants.get(pick());
      ObjectNode e = calls.next(tenant, now.minusMillis(rnd.nextLong(Math.max(1, step.toMillis()))));
      if (spiking(elapsed) && tenant.equals(tenant(1)) && rnd.nextDouble() < 0.5) {
        spike(e);
      }
      out.add(e);
    }
    incidents(elapsed, step, now, out);
    return out;
  }

  private void incidents(Duration elapsed, Duration step, Instant now, List<ObjectNode> out) {
    long since = elapsed.minus(warmup).toMillis();
    if (since < 0) {
      return;
    }
    long cycleMs = dayLength.toMillis() * 2;
    long cycle = since / cycleMs;
    long at = since % cycleMs;
    if (cycle != incidentCycle) {
      incidentCycle = cycle;
      stormHash = String.format("%016x", rnd.nextLong());
      runawaySteps = 0;
    }
    long stepMs = step.toMillis();
    // retry storm: 15 calls spread over the first 20 s of the cycle
    for (int i = 0; i < 15; i++) {
      long t = i * 20_000L / 15;
      if (t >= at - stepMs && t < at) {
        ObjectNode e = calls.next(tenant(0), now);
        e.put("route", STORM_ROUTE).put("prompt_hash", stormHash).put("status_code", 529).put("error_type", "overloaded_error")
            .putNull("stop_reason");
        ((ObjectNode) e.get("usage")).put("output_tokens", 0);
        out.add(e);
      }
    }
    // the alert catalogue's route incidents, one call a second for the first 25 s: an outage (every call 500), a
    // flaky route (every other call 500), a slow route (30 s answers), answers cut at max_tokens, three 429s
    for (int i = 0; i < 25; i++) {
      long t = i * 1000L;
      if (t >= at - stepMs && t < at) {
        out.add(incident(tenant(1), OUTAGE_ROUTE, now).put("status_code", 500).put("error_type", "api_error")
            .putNull("stop_reason"));
        ObjectNode flaky = incident(tenant(0), FLAKY_ROUTE, now);
        if (i % 2 == 0) {
          flaky.put("status_code", 500).put("error_type", "api_error").putNull("stop_reason");
        }
        out.add(flaky);
        out.add(incident(tenant(2), SLOW_ROUTE, now).put("latency_ms", 30_000));
        out.add(incident(tenant(2), CUT_ROUTE, now).put("stop_reason", "max_tokens"));
        if (i < 3) {
          out.add(incident(tenant(1), LIMITED_ROUTE, now).put("status_code", 429).put("error_type", "rate_limit_error"));
        }
      }
    }
    // runaway task: from 60 s to 150 s, two steps a second, context growing
    if (at >= 60_000 && at < 150_000) {
      long due = Math.min(180, (at - 60_000) / 500 + 1);
      while (runawaySteps < due) {
        runawaySteps++;
        ObjectNode e = calls.next(tenant(2), now);
        e.put("route", RUNAWAY_ROUTE).put("model", "claude-sonnet-4-6-20260315").put("task_id", "runaway-agent-" + incidentCycle)
            .put("status_code", 200).put("stop_reason", "tool_use").remove("error_type");
        ObjectNode usage = (ObjectNode) e.get("usage");
        usage.put("input_tokens", 4_000 + runawaySteps * 8_000).put("output_tokens", 800).put("cache_read_input_tokens", 0)
            .put("cache_creation_input_tokens", 0);
        usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", 0).put("ephemeral_1h_input_tokens", 0);
        out.add(e);
      }
    }
  }

  /** An ordinary successful call of {@code tenant} on {@code route}; the caller makes it the incident. */
  private ObjectNode incident(String tenant, String route, Instant now) {
    ObjectNode e = calls.next(tenant, now);
    e.put("route", route).put("status_code", 200).put("stop_reason", "end_turn").put("latency_ms", 900).remove("error_type");
    ((ObjectNode) e.get("usage")).put("output_tokens", 300);
    return e;
  }

  private boolean spiking(Duration elapsed) {
    long since = elapsed.minus(warmup).toMillis();
    long at = since % (dayLength.toMillis() * 2);
    return since >= 0 && at >= 30_000 && at < 90_000;
  }

  private static void spike(ObjectNode e) {
    e.put("route", SPIKE_ROUTE).put("model", "claude-opus-4-7");
    ObjectNode usage = (ObjectNode) e.get("usage");
    usage.put("input_tokens", usage.get("input_tokens").asLong() * 15).put("output_tokens", usage.get("output_tokens").asLong() * 15);
  }

  /** The i-th tenant, or the last one when there are fewer. */
  String tenant(int i) {
    return tenants.get(Math.min(i, tenants.size() - 1));
  }

  /** Tenants by weight 5:3:2:1...: a few big customers and a tail. */
  private int pick() {
    double total = 0;
    for (int i = 0; i < tenants.size(); i++) {
      total += weight(i);
    }
    double x = rnd.nextDouble() * total;
    for (int i = 0; i < tenants.size(); i++) {
      x -= weight(i);
      if (x < 0) {
        return i;
      }
    }
    return tenants.size() - 1;
  }

  private static double weight(int i) {
    return switch (i) {
      case 0 -> 5;
      case 1 -> 3;
      case 2 -> 2;
      default -> 1;
    };
  }
}
