package io.spendstream.stream.catalogue;

import io.spendstream.pricing.Money;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.stream.config.CatalogueConfig;
import io.spendstream.stream.state.avro.RouteHour;
import io.spendstream.stream.state.avro.RouteSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per tenant x route detectors, pure functions of the route's series at the end of a final base window. Rates and
 * shares are reported in basis points (1/100 of a percent); money stays exact nano-USD; ratios of token counts are
 * statistics (double), compared against the configured fractions.
 */
public final class RouteChecks {
  public static final long DAY = 86_400_000L;

  private RouteChecks() {}

  /** The checks run at the end of every base window. */
  public static List<Check> atWindowEnd(RouteSeries s, long end, CatalogueConfig c) {
    List<Check> out = new ArrayList<>();
    if (c.errorRate().enabled()) {
      out.add(errorRate(s, end, c.errorRate()));
    }
    if (c.rateLimited().enabled()) {
      out.add(rateLimited(s, end, c.rateLimited()));
    }
    if (c.latencyP95().enabled()) {
      out.add(latency(s, end, c.latencyP95()));
    }
    if (c.truncationRate().enabled()) {
      out.add(truncation(s, end, c.truncationRate()));
    }
    if (c.noSuccess().enabled()) {
      out.add(noSuccess(s, end, c.noSuccess()));
    }
    if (c.cacheRatio().enabled()) {
      out.add(cacheRatio(s, end, c.cacheRatio(), c.baselineDays()));
    }
    return out;
  }

  /** The checks run when an hour ends (their windows are hours and days). */
  public static List<Check> atHourEnd(RouteSeries s, long end, CatalogueConfig c) {
    List<Check> out = new ArrayList<>();
    if (c.promptGrowth().enabled()) {
      out.add(promptGrowth(s, end, c.promptGrowth(), c.baselineDays()));
    }
    if (c.modelMix().enabled()) {
      out.addAll(modelMix(s, end, c.modelMix(), c.baselineDays()));
    }
    return out;
  }

  static Alert.Builder draft(AlertType type, RouteSeries s, long from, long to) {
    return Alert.newBuilder().setAlertId("").setType(type).setStatus(AlertStatus.FIRING).setSeverity(Severity.WARNING)
        .setTenantId(s.getTenantId()).setDimension("route").setDimensionValue(s.getRoute()).setRoute(s.getRoute())
        .setModel(null).setDetectedAt(Instant.ofEpochMilli(to)).setWindowStart(Instant.ofEpochMilli(from))
        .setWindowEnd(Instant.ofEpochMilli(to)).setBaseline(null).setZScore(null).setCostNanos(0);
  }

  static long bp(double fraction) {
    return Math.round(fraction * 10_000);
  }

  static String pct(double fraction) {
    return String.format("%.1f %%", fraction * 100);
  }

  static Map<String, String> evidence(Object... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(String.valueOf(kv[i]), String.valueOf(kv[i + 1]));
    }
    return m;
  }

  static String span(Duration d) {
    long m = d.toMinutes();
    return m % 1440 == 0 ? (m / 1440) + " d" : m % 60 == 0 ? (m / 60) + " h" : m > 0 ? m + " min" : d.toSeconds() + " s";
  }

  static Check errorRate(RouteSeries s, long end, CatalogueConfig.RateRule c) {
    return rate(s, end, c, AlertType.ERROR_RATE, t -> t.errors, (t, rate) -> "Error rate on %s: %s of %d calls failed in the last %s (threshold %s)"
        .formatted(s.getRoute(), pct(rate), t.calls, span(c.window()), pct(c.maxRate().doubleValue())));
  }

  static Check truncation(RouteSeries s, long end, CatalogueConfig.RateRule c) {
    return rate(s, end, c, AlertType.TRUNCATION_RATE, t -> t.maxTokensStops, (t, rate) -> ("%s of calls on %s stopped at"
        + " max_tokens in the last %s (threshold %s): answers are cut off").formatted(pct(rate), s.getRoute(),
        span(c.window()), pct(c.maxRate().doubleValue())));
  }

  /** A share of the route's calls (errors, truncations) over the rule's window. */
  private static Check rate(RouteSeries s, long end, CatalogueConfig.RateRule c, AlertType type,
      java.util.function.ToLongFunction<RouteState.Sums> part,
      java.util.function.BiFunction<RouteState.Sums, Double, String> message) {
    String condition = type.name().toLowerCase(java.util.Locale.ROOT);
    long from = end - c.window().toMillis();
    RouteState.Sums t = RouteState.since(s, from);
    if (t.calls < c.minCalls()) {
      return Check.unknown(condition);
    }
    double rate = part.applyAsLong(t) / (double) t.calls;
    return new Check(condition, rate > c.maxRate().doubleValue(), draft(type, s, from, end)
        .setSeverity(rate >= 0.5 ? Severity.CRITICAL : Severity.WARNING)
        .setObservedValue(bp(rate)).setThreshold(bp(c.maxRate().doubleValue())).setObservedUnit("basis_points")
        .setCostNanos(t.cost).setMessage(message.apply(t, rate))
        .setEvidence(evidence("calls", t.calls, "errors", t.errors, "rate_limited", t.rateLimited, "max_tokens_stops",
            t.maxTokensStops, "window", c.window(), "min_calls", c.minCalls())));
  }

  static Check rateLimited(RouteSeries s, long end, CatalogueConfig.RateLimited c) {
    long from = end - c.window().toMillis();
    RouteState.Sums t = RouteState.since(s, from);
    boolean holds = t.rateLimited >= c.minCount();
    Severity severity = t.rateLimited >= c.criticalCount() ? Severity.CRITICAL
        : t.rateLimited >= Math.max(c.minCount(), c.criticalCount() / 10) ? Severity.WARNING : Severity.INFO;
    return new Check("rate_limited", holds, draft(AlertType.RATE_LIMITED, s, from, end).setSeverity(severity)
        .setObservedValue(t.rateLimited).setThreshold(c.minCount()).setObservedUnit("calls").setCostNanos(t.cost)
        .setMessage("%d calls on %s were rate limited (429) in the last %s".formatted(t.rateLimited, s.getRoute(),
            span(c.window())))
        .setEvidence(evidence("calls", t.calls, "rate_limited", t.rateLimited, "window", c.window(),
            "critical_count", c.criticalCount())));
  }

  static Check latency(RouteSeries s, long end, CatalogueConfig.LatencyP95 c) {
    long from = end - c.window().toMillis();
    RouteState.Sums t = RouteState.since(s, from);
    if (t.calls < c.minCalls()) {
      return Check.unknown("latency_p95");
    }
    long p95 = t.p95Ms();
    return new Check("latency_p95", p95 > c.maxMs(), draft(AlertType.LATENCY_P95, s, from, end)
        .setObservedValue(p95).setThreshold(c.maxMs()).setObservedUnit("ms").setCostNanos(t.cost)
        .setMessage("p95 latency on %s is %.1f s over the last %s (threshold %.1f s, %d calls)".formatted(s.getRoute(),
            p95 / 1000.0, span(c.window()), c.maxMs() / 1000.0, t.calls))
        .setEvidence(evidence("calls", t.calls, "p95_ms_upper_bound", p95, "window", c.window(),
            "histogram_relative_error", "20%")));
  }

  /** An outage: calls but no success. Only a success clears it (no calls at all tells nothing). */
  static Check noSuccess(RouteSeries s, long end, CatalogueConfig.NoSuccess c) {
    long from = end - c.window().toMillis();
    RouteState.Sums t = RouteState.since(s, from);
    Boolean holds = t.successes() > 0 ? Boolean.FALSE : t.calls >= c.minCalls() ? Boolean.TRUE : null;
    if (holds == null) {
      return Check.unknown("no_success");
    }
    return new Check("no_success", holds, draft(AlertType.NO_SUCCESS, s, from, end).setSeverity(Severity.CRITICAL)
        .setObservedValue(t.successes()).setThreshold(0).setObservedUnit("calls").setCostNanos(t.cost)
        .setMessage("No successful call on %s in the last %s: %d calls, all failed (%d rate limited)".formatted(
            s.getRoute(), span(c.window()), t.calls, t.rateLimited))
        .setEvidence(evidence("calls", t.calls, "errors", t.errors, "rate_limited", t.rateLimited, "window",
            c.window())));
  }

  /**
   * Cache hit ratio = cache read / (input + cache read + cache creation), the one definition the dashboard and the SQL
   * pack use too. Fires below {@code relative} x the route's own ratio over the baseline days, or below the floor for
   * a route whose baseline was above it; needs the volume floor in the window and in the baseline.
   */
  static Check cacheRatio(RouteSeries s, long end, CatalogueConfig.CacheRatio c, int baselineDays) {
    long from = end - c.window().toMillis();
    RouteState.Sums t = RouteState.since(s, from);
    long baseInput = 0;
    long baseRead = 0;
    for (RouteHour h : s.getHours()) {
      if (h.getStart() >= end - baselineDays * DAY && h.getStart() + RouteState.HOUR <= from) {
        baseInput += h.getInputSideTokens();
        baseRead += h.getCacheReadTokens();
      }
    }
    if (t.inputSide < c.minInputSideTokens() || baseInput < c.minInputSideTokens() || baseInput == 0
        || baselineHours(s, from - Math.floorMod(from, RouteState.HOUR), baselineDays) < 24) {
      return Check.unknown("cache_ratio");
    }
    double ratio = t.cacheRead / (double) t.inputSide;
    double base = baseRead / (double) baseInput;
    double floor = c.floor().doubleValue();
    boolean holds = ratio < c.relative().doubleValue() * base || (ratio < floor && base >= floor);
    return new Check("cache_ratio", holds, draft(AlertType.CACHE_RATIO_REGRESSION, s, from, end)
        .setObservedValue(bp(ratio)).setThreshold(bp(Math.max(c.relative().doubleValue() * base, base >= floor ? floor : 0)))
        .setBaseline(bp(base)).setObservedUnit("basis_points").setCostNanos(t.cost)
        .setMessage("Cache hit ratio on %s fell to %s over the last %s (its %d-day baseline: %s): prompts are no longer cached"
            .formatted(s.getRoute(), pct(ratio), span(c.window()), baselineDays, pct(base)))
        .setEvidence(evidence("input_side_tokens", t.inputSide, "cache_read_tokens", t.cacheRead,
            "baseline_input_side_tokens", baseInput, "baseline_cache_read_tokens", baseRead, "relative",
            c.relative().toPlainString(), "floor", c.floor().toPlainString())));
  }

  /** Mean input-side tokens per call over the last day against the days before it. */
  static Check promptGrowth(RouteSeries s, long end, CatalogueConfig.PromptGrowth c, int baselineDays) {
    long dayFrom = end - DAY;
    long calls = 0;
    long tokens = 0;
    long baseCalls = 0;
    long baseTokens = 0;
    for (RouteHour h : s.getHours()) {
      if (h.getStart() >= dayFrom && h.getStart() < end) {
        calls += h.getCalls();
        tokens = Math.addExact(tokens, h.getInputSideTokens());
      } else if (h.getStart() >= dayFrom - baselineDays * DAY && h.getStart() < dayFrom) {
        baseCalls += h.getCalls();
        baseTokens = Math.addExact(baseTokens, h.getInputSideTokens());
      }
    }
    if (calls < c.minCalls() || baseCalls < c.minCalls()) {
      return Check.unknown("prompt_growth");
    }
    long mean = tokens / calls;
    long baseMean = baseTokens / baseCalls;
    boolean holds = mean > c.factor().doubleValue() * baseMean;
    return new Check("prompt_growth", holds, draft(AlertType.PROMPT_GROWTH, s, dayFrom, end)
        .setObservedValue(mean).setThreshold(Math.round(c.factor().doubleValue() * baseMean)).setBaseline(baseMean)
        .setObservedUnit("tokens")
        .setMessage("Prompts on %s grew to %,d input-side tokens per call over the last day (baseline %,d, %.1fx): context stuffing?"
            .formatted(s.getRoute(), mean, baseMean, baseMean == 0 ? 0.0 : mean / (double) baseMean))
        .setEvidence(evidence("calls", calls, "input_side_tokens", tokens, "baseline_calls", baseCalls,
            "baseline_days", baselineDays, "factor", c.factor().toPlainString())));
  }

  /**
   * Hours of baseline the route has before {@code to} (at most the baseline days): a baseline needs a day of it, so a
   * route seen for the first time an hour ago is not compared with an empty week.
   */
  static long baselineHours(RouteSeries s, long to, int baselineDays) {
    if (s.getHours().isEmpty()) {
      return 0;
    }
    long from = Math.max(s.getHours().getFirst().getStart(), to - baselineDays * DAY);
    return Math.max(0, (to - from) / RouteState.HOUR);
  }

  static boolean expensive(String model, List<String> families) {
    String m = model.toLowerCase(java.util.Locale.ROOT);
    return families.stream().anyMatch(f -> m.contains(f.toLowerCase(java.util.Locale.ROOT)));
  }

  /**
   * The hour that ended against the baseline days: the cost share of expensive families (shift, or above the maximum
   * share on a route that was below it), and per model the silent upgrade (cost > factor x its mean hour).
   */
  static List<Check> modelMix(RouteSeries s, long end, CatalogueConfig.ModelMix c, int baselineDays) {
    long hourFrom = end - RouteState.HOUR;
    RouteHour last = null;
    Map<String, Long> baseModelCost = new TreeMap<>();
    long baseCost = 0;
    for (RouteHour h : s.getHours()) {
      if (h.getStart() == hourFrom) {
        last = h;
      } else if (h.getStart() >= hourFrom - baselineDays * DAY && h.getStart() < hourFrom) {
        baseCost = Math.addExact(baseCost, h.getCostNanos());
        h.getModelCostNanos().forEach((m, v) -> baseModelCost.merge(m, v, Math::addExact));
      }
    }
    List<Check> out = new ArrayList<>();
    long baseHours = baselineHours(s, hourFrom, baselineDays);
    if (last == null || last.getCostNanos() == 0 || baseCost == 0 || baseHours < 24) {
      out.add(Check.unknown("mix"));
      return out;
    }
    long expensiveNow = last.getModelCostNanos().entrySet().stream().filter(e -> expensive(e.getKey(), c.expensiveFamilies()))
        .mapToLong(Map.Entry::getValue).sum();
    long expensiveBase = baseModelCost.entrySet().stream().filter(e -> expensive(e.getKey(), c.expensiveFamilies()))
        .mapToLong(Map.Entry::getValue).sum();
    double share = expensiveNow / (double) last.getCostNanos();
    double baseShare = expensiveBase / (double) baseCost;
    double max = c.maxShare().doubleValue();
    boolean holds = share - baseShare > c.shiftPoints().doubleValue() || (share > max && baseShare <= max);
    out.add(new Check("mix", holds, draft(AlertType.MODEL_MIX_SHIFT, s, hourFrom, end)
        .setObservedValue(bp(share)).setThreshold(bp(Math.min(baseShare + c.shiftPoints().doubleValue(), max)))
        .setBaseline(bp(baseShare)).setObservedUnit("basis_points").setCostNanos(last.getCostNanos())
        .setMessage("%s of the cost on %s went to %s models in the last hour (%d-day baseline %s)".formatted(pct(share),
            s.getRoute(), String.join("/", c.expensiveFamilies()), baselineDays, pct(baseShare)))
        .setEvidence(evidence("cost_by_model_nanos", new TreeMap<>(last.getModelCostNanos()), "baseline_cost_nanos",
            baseCost, "shift_points", c.shiftPoints().toPlainString(), "max_share", c.maxShare().toPlainString()))));
    Map<String, Long> models = new TreeMap<>(last.getModelCostNanos());
    s.getFiring().keySet().stream().filter(k -> k.startsWith("upgrade:")) // a firing upgrade clears when the model is gone
        .forEach(k -> models.putIfAbsent(k.substring("upgrade:".length()), 0L));
    for (Map.Entry<String, Long> e : models.entrySet()) {
      String model = e.getKey();
      long calls = last.getModelCalls().getOrDefault(model, 0L);
      long meanHour = baseModelCost.getOrDefault(model, 0L) / baseHours;
      boolean up = calls > c.upgradeMinCalls() && e.getValue() > c.upgradeFactor().doubleValue() * meanHour;
      out.add(new Check("upgrade:" + model, up, draft(AlertType.MODEL_MIX_SHIFT, s, hourFrom, end).setModel(model)
          .setObservedValue(e.getValue()).setThreshold(Math.round(c.upgradeFactor().doubleValue() * meanHour))
          .setBaseline(meanHour).setObservedUnit("nano_usd").setCostNanos(e.getValue())
          .setMessage("Silent model upgrade? %s on %s cost %s in the last hour, %s its %d-day hourly mean (%s), %d calls"
              .formatted(model, s.getRoute(), Money.usd(e.getValue()), meanHour == 0 ? "with no history in"
                  : "%.1fx".formatted(e.getValue() / (double) meanHour), baselineDays, Money.usd(meanHour), calls))
          .setEvidence(evidence("model", model, "calls", calls, "baseline_hours", baseHours, "upgrade_factor",
              c.upgradeFactor().toPlainString()))));
    }
    return out;
  }
}
