package io.spendstream.stream.config;

import io.spendstream.config.Problems;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Thresholds of the alert catalogue (the detectors on the merged per-tenant series), one record per detector. Rates
 * and shares are fractions (0.05 = 5 %), money is nano-USD (USD in the YAML), windows are rolling over final base
 * windows. Every detector can be switched off ({@code enabled: false}) and overridden per tenant; see
 * {@code docs/operations/alert-catalogue.md} for what each one means.
 */
public record CatalogueConfig(int baselineDays, RunawayTask runawayTask, Budget budget, CacheRatio cacheRatio,
    ModelMix modelMix, RateRule errorRate, RateLimited rateLimited, LatencyP95 latencyP95,
    RateRule truncationRate, SpendBaseline spendBaseline, NoSuccess noSuccess, PromptGrowth promptGrowth) {

  public static final BigDecimal ONE = BigDecimal.ONE;

  public CatalogueConfig {
    Problems p = new Problems("alerts");
    p.check(baselineDays >= 1 && baselineDays <= 35, "baseline_days", "must be 1..35");
    p.throwIfAny();
  }

  public static CatalogueConfig defaults() {
    return new CatalogueConfig(7, RunawayTask.defaults(), Budget.defaults(), CacheRatio.defaults(), ModelMix.defaults(),
        new RateRule(true, Duration.ofMinutes(10), new BigDecimal("0.05"), 20, Duration.ofMinutes(30)),
        RateLimited.defaults(), LatencyP95.defaults(),
        new RateRule(true, Duration.ofHours(1), new BigDecimal("0.1"), 20, Duration.ofHours(1)),
        SpendBaseline.defaults(), NoSuccess.defaults(), PromptGrowth.defaults());
  }

  /** The longest rolling window of the per-route detectors: how many base windows a route's series keeps. */
  public Duration longestRouteWindow() {
    return List.of(cacheRatio.window(), errorRate.window(), rateLimited.window(), latencyP95.window(),
        truncationRate.window(), noSuccess.window()).stream().max(Duration::compareTo).orElseThrow();
  }

  private static void check(Problems p, Duration window, String fractionField, BigDecimal fraction, Duration cooldown) {
    p.positive("window", window);
    if (fraction != null) {
      p.check(fraction.signum() >= 0 && fraction.compareTo(ONE) <= 0, fractionField, "must be a fraction 0..1 (0.05 = 5 %)");
    }
    p.notNegative("cooldown", cooldown);
  }

  /** RUNAWAY_TASK: a task (its subtasks rolled up to the root) with too many calls or too much cost while active. */
  public record RunawayTask(boolean enabled, int maxHops, long maxCostNanos, Duration idle, long conversationCostNanos) {
    public static RunawayTask defaults() {
      return new RunawayTask(true, 12, 500_000_000L, Duration.ofMinutes(30), 5_000_000_000L);
    }

    public RunawayTask {
      Problems p = new Problems("runaway_task");
      p.check(maxHops >= 1, "max_hops", "must be >= 1");
      p.check(maxCostNanos > 0 && conversationCostNanos > 0, "max_cost_usd", "costs must be > 0");
      p.positive("idle", idle);
      p.throwIfAny();
    }
  }

  /** BUDGET: daily and monthly USD budgets (UTC periods); null = no budget. */
  public record Budget(Long dailyNanos, Long monthlyNanos, List<BigDecimal> thresholds, boolean forecast,
      Duration forecastAfter) {
    public static Budget defaults() {
      return new Budget(null, null, List.of(new BigDecimal("0.5"), new BigDecimal("0.8"), ONE), true, Duration.ofDays(3));
    }

    public Budget {
      thresholds = List.copyOf(thresholds);
      Problems p = new Problems("budget");
      p.check(dailyNanos == null || dailyNanos > 0, "daily_usd", "must be > 0");
      p.check(monthlyNanos == null || monthlyNanos > 0, "monthly_usd", "must be > 0");
      p.check(!thresholds.isEmpty() && thresholds.stream().allMatch(t -> t.signum() > 0)
          && thresholds.equals(thresholds.stream().sorted().distinct().toList()), "thresholds",
          "must be ascending fractions of the budget > 0, e.g. [0.5, 0.8, 1.0]");
      p.notNegative("forecast_after", forecastAfter);
      p.throwIfAny();
    }
  }

  /** CACHE_RATIO_REGRESSION: cache read / input side over {@code window} against the route's baseline. */
  public record CacheRatio(boolean enabled, Duration window, BigDecimal relative, BigDecimal floor,
      long minInputSideTokens, Duration cooldown) {
    public static CacheRatio defaults() {
      return new CacheRatio(true, Duration.ofHours(1), new BigDecimal("0.7"), new BigDecimal("0.4"), 100_000,
          Duration.ofHours(1));
    }

    public CacheRatio {
      Problems p = new Problems("cache_ratio");
      check(p, window, "relative", relative, cooldown);
      check(p, window, "floor", floor, cooldown);
      p.check(minInputSideTokens >= 0, "min_input_tokens", "must be >= 0");
      p.throwIfAny();
    }
  }

  /** MODEL_MIX_SHIFT: cost share of expensive model families per route per hour; silent upgrade per route x model. */
  public record ModelMix(boolean enabled, List<String> expensiveFamilies, BigDecimal shiftPoints, BigDecimal maxShare,
      BigDecimal upgradeFactor, int upgradeMinCalls, Duration cooldown) {
    public static ModelMix defaults() {
      return new ModelMix(true, List.of("opus"), new BigDecimal("0.2"), new BigDecimal("0.1"), new BigDecimal("3"), 10,
          Duration.ofHours(6));
    }

    public ModelMix {
      expensiveFamilies = List.copyOf(expensiveFamilies);
      Problems p = new Problems("model_mix");
      check(p, Duration.ofHours(1), "shift_points", shiftPoints, cooldown);
      check(p, Duration.ofHours(1), "max_share", maxShare, cooldown);
      p.check(upgradeFactor.compareTo(ONE) > 0, "upgrade_factor", "must be > 1");
      p.check(upgradeMinCalls >= 1, "upgrade_min_calls", "must be >= 1");
      p.throwIfAny();
    }
  }

  /** ERROR_RATE and TRUNCATION_RATE per route: a share of the calls over {@code window}, from {@code minCalls}. */
  public record RateRule(boolean enabled, Duration window, BigDecimal maxRate, int minCalls, Duration cooldown) {
    public RateRule {
      Problems p = new Problems("rate");
      check(p, window, "max_rate", maxRate, cooldown);
      p.check(minCalls >= 1, "min_calls", "must be >= 1");
      p.throwIfAny();
    }
  }

  /** RATE_LIMITED per route: 429s over {@code window}; CRITICAL from {@code criticalCount}. */
  public record RateLimited(boolean enabled, Duration window, int minCount, int criticalCount, Duration cooldown) {
    public static RateLimited defaults() {
      return new RateLimited(true, Duration.ofMinutes(5), 1, 100, Duration.ofMinutes(30));
    }

    public RateLimited {
      Problems p = new Problems("rate_limited");
      check(p, window, null, null, cooldown);
      p.check(minCount >= 1 && criticalCount >= minCount, "min_count", "must be >= 1 and <= critical_count");
      p.throwIfAny();
    }
  }

  /** LATENCY_P95 per route, from the merged latency histogram. */
  public record LatencyP95(boolean enabled, Duration window, long maxMs, int minCalls, Duration cooldown) {
    public static LatencyP95 defaults() {
      return new LatencyP95(true, Duration.ofMinutes(10), 15_000, 20, Duration.ofMinutes(30));
    }

    public LatencyP95 {
      Problems p = new Problems("latency_p95");
      check(p, window, null, null, cooldown);
      p.check(maxMs > 0, "max_ms", "must be > 0");
      p.throwIfAny();
    }
  }

  /** SPEND_VS_BASELINE per tenant: today so far and the last hour against 7 days, and a static ceiling per minute. */
  public record SpendBaseline(boolean enabled, BigDecimal todayFactor, BigDecimal hourFactor, long minCostNanos,
      Long ceilingPerMinuteNanos, Duration cooldown) {
    public static SpendBaseline defaults() {
      return new SpendBaseline(true, new BigDecimal("1.5"), new BigDecimal("2"), 1_000_000_000L, null,
          Duration.ofHours(1));
    }

    public SpendBaseline {
      Problems p = new Problems("spend_baseline");
      p.check(todayFactor.compareTo(ONE) > 0 && hourFactor.compareTo(ONE) > 0, "today_factor",
          "factors must be > 1");
      p.check(minCostNanos >= 0, "min_cost_usd", "must be >= 0");
      p.check(ceilingPerMinuteNanos == null || ceilingPerMinuteNanos > 0, "ceiling_usd_per_minute", "must be > 0");
      p.notNegative("cooldown", cooldown);
      p.throwIfAny();
    }
  }

  /** NO_SUCCESS per route: calls but not one success over {@code window} (an outage). */
  public record NoSuccess(boolean enabled, Duration window, int minCalls, Duration cooldown) {
    public static NoSuccess defaults() {
      return new NoSuccess(true, Duration.ofMinutes(5), 3, Duration.ofMinutes(30));
    }

    public NoSuccess {
      Problems p = new Problems("no_success");
      check(p, window, null, null, cooldown);
      p.check(minCalls >= 1, "min_calls", "must be >= 1");
      p.throwIfAny();
    }
  }

  /** PROMPT_GROWTH per route: mean input-side tokens per call over the last day against the baseline. */
  public record PromptGrowth(boolean enabled, BigDecimal factor, int minCalls, Duration cooldown) {
    public static PromptGrowth defaults() {
      return new PromptGrowth(true, new BigDecimal("1.5"), 100, Duration.ofDays(1));
    }

    public PromptGrowth {
      Problems p = new Problems("prompt_growth");
      p.check(factor.compareTo(ONE) > 0, "factor", "must be > 1");
      p.check(minCalls >= 1, "min_calls", "must be >= 1");
      p.notNegative("cooldown", cooldown);
      p.throwIfAny();
    }
  }
}
