package io.spendstream.stream.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.spendstream.config.ConfigReader;
import io.spendstream.stream.config.CatalogueConfig.Budget;
import io.spendstream.stream.config.CatalogueConfig.CacheRatio;
import io.spendstream.stream.config.CatalogueConfig.LatencyP95;
import io.spendstream.stream.config.CatalogueConfig.ModelMix;
import io.spendstream.stream.config.CatalogueConfig.NoSuccess;
import io.spendstream.stream.config.CatalogueConfig.PromptGrowth;
import io.spendstream.stream.config.CatalogueConfig.RateLimited;
import io.spendstream.stream.config.CatalogueConfig.RunawayTask;
import io.spendstream.stream.config.CatalogueConfig.SpendBaseline;
import io.spendstream.stream.config.CatalogueConfig.RateRule;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the alert catalogue's section ({@code alerts:} at the top, or a tenant's overrides under {@code tenants.<id>})
 * over given defaults: a tenant override starts from the global values, so it names only what differs.
 */
final class CatalogueConfigReader {
  static final Set<String> DETECTOR_KEYS = Set.of("runaway_task", "budget", "cache_ratio", "model_mix", "error_rate",
      "rate_limited", "latency_p95", "truncation_rate", "spend_baseline", "no_success", "prompt_growth");

  private CatalogueConfigReader() {}

  /** Reads the detector keys of {@code n} (a mapping; absent keys keep {@code d}); {@code base} names {@code n} in problems. */
  static CatalogueConfig read(ConfigReader s, JsonNode n, String base, CatalogueConfig d, int baselineDays) {
    String prefix = base + ".";
    RunawayTask rt = section(s, base, "runaway_task", () -> {
      JsonNode o = s.object(n, "runaway_task", Set.of("enabled", "max_hops", "max_cost_usd", "idle",
          "conversation_cost_usd"), base);
      String p = prefix + "runaway_task.";
      RunawayTask x = d.runawayTask();
      return new RunawayTask(s.bool(o, p + "enabled", x.enabled()), s.integer(o, p + "max_hops", x.maxHops()),
          s.usdNanos(o, p + "max_cost_usd", x.maxCostNanos()), s.duration(o, p + "idle", x.idle()),
          s.usdNanos(o, p + "conversation_cost_usd", x.conversationCostNanos()));
    });
    Budget bu = section(s, base, "budget", () -> {
      JsonNode o = s.object(n, "budget", Set.of("daily_usd", "monthly_usd", "thresholds", "forecast", "forecast_after"),
          base);
      String p = prefix + "budget.";
      Budget x = d.budget();
      long daily = s.usdNanos(o, p + "daily_usd", -1);
      long monthly = s.usdNanos(o, p + "monthly_usd", -1);
      return new Budget(daily == -1 ? x.dailyNanos() : (Long) daily, monthly == -1 ? x.monthlyNanos() : (Long) monthly,
          fractions(s, o, p + "thresholds", x.thresholds()), s.bool(o, p + "forecast", x.forecast()),
          s.duration(o, p + "forecast_after", x.forecastAfter()));
    });
    CacheRatio cr = section(s, base, "cache_ratio", () -> {
      JsonNode o = s.object(n, "cache_ratio", Set.of("enabled", "window", "relative", "floor", "min_input_tokens",
          "cooldown"), base);
      String p = prefix + "cache_ratio.";
      CacheRatio x = d.cacheRatio();
      return new CacheRatio(s.bool(o, p + "enabled", x.enabled()), s.duration(o, p + "window", x.window()),
          s.decimal(o, p + "relative", x.relative()), s.decimal(o, p + "floor", x.floor()),
          s.integer(o, p + "min_input_tokens", (int) x.minInputSideTokens()), s.duration(o, p + "cooldown", x.cooldown()));
    });
    ModelMix mm = section(s, base, "model_mix", () -> {
      JsonNode o = s.object(n, "model_mix", Set.of("enabled", "expensive_families", "shift_points", "max_share",
          "upgrade_factor", "upgrade_min_calls", "cooldown"), base);
      String p = prefix + "model_mix.";
      ModelMix x = d.modelMix();
      List<String> families = s.texts(o, p + "expensive_families");
      return new ModelMix(s.bool(o, p + "enabled", x.enabled()), families.isEmpty() ? x.expensiveFamilies() : families,
          s.decimal(o, p + "shift_points", x.shiftPoints()), s.decimal(o, p + "max_share", x.maxShare()),
          s.decimal(o, p + "upgrade_factor", x.upgradeFactor()), s.integer(o, p + "upgrade_min_calls", x.upgradeMinCalls()),
          s.duration(o, p + "cooldown", x.cooldown()));
    });
    RateRule er = section(s, base, "error_rate", () -> rate(s, n, base, "error_rate", d.errorRate()));
    RateLimited rl = section(s, base, "rate_limited", () -> {
      JsonNode o = s.object(n, "rate_limited", Set.of("enabled", "window", "min_count", "critical_count", "cooldown"),
          base);
      String p = prefix + "rate_limited.";
      RateLimited x = d.rateLimited();
      return new RateLimited(s.bool(o, p + "enabled", x.enabled()), s.duration(o, p + "window", x.window()),
          s.integer(o, p + "min_count", x.minCount()), s.integer(o, p + "critical_count", x.criticalCount()),
          s.duration(o, p + "cooldown", x.cooldown()));
    });
    LatencyP95 lp = section(s, base, "latency_p95", () -> {
      JsonNode o = s.object(n, "latency_p95", Set.of("enabled", "window", "max_ms", "min_calls", "cooldown"), base);
      String p = prefix + "latency_p95.";
      LatencyP95 x = d.latencyP95();
      return new LatencyP95(s.bool(o, p + "enabled", x.enabled()), s.duration(o, p + "window", x.window()),
          s.integer(o, p + "max_ms", (int) x.maxMs()), s.integer(o, p + "min_calls", x.minCalls()),
          s.duration(o, p + "cooldown", x.cooldown()));
    });
    RateRule tr = section(s, base, "truncation_rate", () -> rate(s, n, base, "truncation_rate", d.truncationRate()));
    SpendBaseline sb = section(s, base, "spend_baseline", () -> {
      JsonNode o = s.object(n, "spend_baseline", Set.of("enabled", "today_factor", "hour_factor", "min_cost_usd",
          "ceiling_usd_per_minute", "cooldown"), base);
      String p = prefix + "spend_baseline.";
      SpendBaseline x = d.spendBaseline();
      long ceiling = s.usdNanos(o, p + "ceiling_usd_per_minute", -1);
      return new SpendBaseline(s.bool(o, p + "enabled", x.enabled()), s.decimal(o, p + "today_factor", x.todayFactor()),
          s.decimal(o, p + "hour_factor", x.hourFactor()), s.usdNanos(o, p + "min_cost_usd", x.minCostNanos()),
          ceiling == -1 ? x.ceilingPerMinuteNanos() : (Long) ceiling, s.duration(o, p + "cooldown", x.cooldown()));
    });
    NoSuccess ns = section(s, base, "no_success", () -> {
      JsonNode o = s.object(n, "no_success", Set.of("enabled", "window", "min_calls", "cooldown"), base);
      String p = prefix + "no_success.";
      NoSuccess x = d.noSuccess();
      return new NoSuccess(s.bool(o, p + "enabled", x.enabled()), s.duration(o, p + "window", x.window()),
          s.integer(o, p + "min_calls", x.minCalls()), s.duration(o, p + "cooldown", x.cooldown()));
    });
    PromptGrowth pg = section(s, base, "prompt_growth", () -> {
      JsonNode o = s.object(n, "prompt_growth", Set.of("enabled", "factor", "min_calls", "cooldown"), base);
      String p = prefix + "prompt_growth.";
      PromptGrowth x = d.promptGrowth();
      return new PromptGrowth(s.bool(o, p + "enabled", x.enabled()), s.decimal(o, p + "factor", x.factor()),
          s.integer(o, p + "min_calls", x.minCalls()), s.duration(o, p + "cooldown", x.cooldown()));
    });
    if (rt == null || bu == null || cr == null || mm == null || er == null || rl == null || lp == null || tr == null
        || sb == null || ns == null || pg == null) {
      return null; // the problems are reported
    }
    return s.build(() -> new CatalogueConfig(baselineDays, rt, bu, cr, mm, er, rl, lp, tr, sb, ns, pg));
  }

  /** Builds one detector's record; its problems are reported under their full path (e.g. tenants.acme.budget.x). */
  private static <T> T section(ConfigReader s, String base, String key, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (io.spendstream.config.ConfigException e) {
      for (String problem : e.problems()) {
        int dot = problem.indexOf('.');
        int colon = problem.indexOf(':');
        s.problems().add(base + "." + key + (dot >= 0 && dot < colon ? problem.substring(dot) : ": " + problem));
      }
      return null;
    }
  }

  private static RateRule rate(ConfigReader s, JsonNode n, String base, String key, RateRule x) {
    JsonNode o = s.object(n, key, Set.of("enabled", "window", "max_rate", "min_calls", "cooldown"), base);
    String p = base + "." + key + ".";
    return new RateRule(s.bool(o, p + "enabled", x.enabled()), s.duration(o, p + "window", x.window()),
        s.decimal(o, p + "max_rate", x.maxRate()), s.integer(o, p + "min_calls", x.minCalls()),
        s.duration(o, p + "cooldown", x.cooldown()));
  }

  private static List<BigDecimal> fractions(ConfigReader s, JsonNode o, String path, List<BigDecimal> d) {
    List<String> texts = s.texts(o, path);
    if (texts.isEmpty()) {
      return d;
    }
    List<BigDecimal> out = new ArrayList<>();
    for (String t : texts) {
      try {
        out.add(new BigDecimal(t));
      } catch (NumberFormatException e) {
        s.problem(path, "'" + t + "' is not a number (fractions of the budget, e.g. [0.5, 0.8, 1.0])");
      }
    }
    return out.isEmpty() ? d : out;
  }
}
