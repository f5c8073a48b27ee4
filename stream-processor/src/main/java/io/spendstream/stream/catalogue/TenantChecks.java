package io.spendstream.stream.catalogue;

import io.spendstream.pricing.Money;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.AlertIds;
import io.spendstream.stream.config.CatalogueConfig;
import io.spendstream.stream.state.avro.HourCost;
import io.spendstream.stream.state.avro.TenantSpend;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The per-tenant detectors: BUDGET (daily and monthly UTC periods, each threshold exactly once per period: the
 * fired levels live in the changelogged tenant state, written in the same transaction as the alert) and
 * SPEND_VS_BASELINE (today so far and the last hour against the baseline days, a static ceiling per minute).
 */
public final class TenantChecks {
  private TenantChecks() {}

  public static TenantSpend empty(String tenant) {
    return TenantSpend.newBuilder().setTenantId(tenant).setLastStart(Long.MIN_VALUE).setDayStart(Long.MIN_VALUE)
        .setDayCostNanos(0).setDayLevelsFired(0).setMonthStart(Long.MIN_VALUE).setMonthCostNanos(0)
        .setMonthLevelsFired(0).setForecastFired(false).setHours(new ArrayList<>()).setFiring(new HashMap<>()).build();
  }

  static long dayStart(long t) {
    return t - Math.floorMod(t, RouteChecks.DAY);
  }

  static long monthStart(long t) {
    LocalDate d = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  static long monthEnd(long monthStart) {
    return ZonedDateTime.ofInstant(Instant.ofEpochMilli(monthStart), ZoneOffset.UTC).plusMonths(1).toInstant().toEpochMilli();
  }

  /** Adds one base window's cost of the tenant (all routes and models), starting the day or month anew. */
  public static void add(TenantSpend s, long start, long cost) {
    long day = dayStart(start);
    if (day != s.getDayStart()) {
      s.setDayStart(day);
      s.setDayCostNanos(0);
      s.setDayLevelsFired(0);
    }
    long month = monthStart(start);
    if (month != s.getMonthStart()) {
      s.setMonthStart(month);
      s.setMonthCostNanos(0);
      s.setMonthLevelsFired(0);
      s.setForecastFired(false);
    }
    s.setDayCostNanos(Math.addExact(s.getDayCostNanos(), cost));
    s.setMonthCostNanos(Math.addExact(s.getMonthCostNanos(), cost));
    long hour = start - Math.floorMod(start, RouteState.HOUR);
    List<HourCost> hours = s.getHours();
    if (hours.isEmpty() || hours.getLast().getStart() != hour) {
      hours.add(new HourCost(hour, 0L));
    }
    hours.getLast().setCostNanos(Math.addExact(hours.getLast().getCostNanos(), cost));
    s.setLastStart(Math.max(s.getLastStart(), start));
  }

  public static void trim(TenantSpend s, long hoursFrom) {
    s.setHours(new ArrayList<>(s.getHours().stream().filter(h -> h.getStart() >= hoursFrom).toList()));
  }

  static Alert.Builder draft(AlertType type, String tenant, String dimension, String value, long from, long to) {
    return Alert.newBuilder().setAlertId("").setType(type).setStatus(AlertStatus.FIRING).setSeverity(Severity.WARNING)
        .setTenantId(tenant).setDimension(dimension).setDimensionValue(value).setRoute(null).setModel(null)
        .setDetectedAt(Instant.ofEpochMilli(to)).setWindowStart(Instant.ofEpochMilli(from))
        .setWindowEnd(Instant.ofEpochMilli(to)).setBaseline(null).setZScore(null).setCostNanos(0);
  }

  /**
   * Budget alerts due at {@code end}: every threshold of the day and month budgets that the spend crossed and that
   * has not fired in this period (the levels are advanced in {@code s}), and the month's forecast once.
   */
  public static List<Alert> budget(TenantSpend s, long end, CatalogueConfig.Budget c) {
    List<Alert> out = new ArrayList<>();
    if (c.dailyNanos() != null) {
      int fired = s.getDayLevelsFired();
      while (fired < c.thresholds().size() && crossed(s.getDayCostNanos(), c.dailyNanos(), c.thresholds().get(fired))) {
        out.add(budgetAlert(s, "daily", s.getDayStart(), end, s.getDayCostNanos(), c.dailyNanos(), c.thresholds().get(fired)));
        fired++;
      }
      s.setDayLevelsFired(fired);
    }
    if (c.monthlyNanos() != null) {
      int fired = s.getMonthLevelsFired();
      while (fired < c.thresholds().size() && crossed(s.getMonthCostNanos(), c.monthlyNanos(), c.thresholds().get(fired))) {
        out.add(budgetAlert(s, "monthly", s.getMonthStart(), end, s.getMonthCostNanos(), c.monthlyNanos(),
            c.thresholds().get(fired)));
        fired++;
      }
      s.setMonthLevelsFired(fired);
      long elapsed = end - s.getMonthStart();
      if (c.forecast() && !s.getForecastFired() && elapsed >= c.forecastAfter().toMillis() && elapsed > 0
          && s.getMonthCostNanos() < c.monthlyNanos()) {
        long length = monthEnd(s.getMonthStart()) - s.getMonthStart();
        BigInteger projected = BigInteger.valueOf(s.getMonthCostNanos()).multiply(BigInteger.valueOf(length))
            .divide(BigInteger.valueOf(elapsed));
        if (projected.compareTo(BigInteger.valueOf(c.monthlyNanos())) > 0) {
          long p = projected.min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
          s.setForecastFired(true);
          out.add(draft(AlertType.BUDGET, s.getTenantId(), "budget", "monthly_forecast", s.getMonthStart(), end)
              .setAlertId(AlertIds.of("BUDGET", s.getTenantId(), "monthly_forecast", String.valueOf(s.getMonthStart())))
              .setObservedValue(p).setThreshold(c.monthlyNanos()).setObservedUnit("nano_usd")
              .setCostNanos(s.getMonthCostNanos())
              .setMessage("At this pace the month ends at %s, over the monthly budget of %s (%s spent so far)".formatted(
                  Money.usd(p), Money.usd(c.monthlyNanos()), Money.usd(s.getMonthCostNanos())))
              .setEvidence(RouteChecks.evidence("spent_nanos", s.getMonthCostNanos(), "budget_nanos", c.monthlyNanos(),
                  "period", "monthly", "period_start", Instant.ofEpochMilli(s.getMonthStart()), "projection_nanos", p,
                  "elapsed_ms", elapsed, "period_ms", length))
              .build());
        }
      }
    }
    return out;
  }

  private static boolean crossed(long spent, long budget, BigDecimal fraction) {
    return new BigDecimal(spent).compareTo(new BigDecimal(budget).multiply(fraction)) >= 0;
  }

  private static Alert budgetAlert(TenantSpend s, String period, long periodStart, long end, long spent, long budget,
      BigDecimal fraction) {
    long threshold = new BigDecimal(budget).multiply(fraction).setScale(0, RoundingMode.CEILING).longValueExact();
    String pct = fraction.movePointRight(2).stripTrailingZeros().toPlainString() + " %";
    return draft(AlertType.BUDGET, s.getTenantId(), "budget", period, periodStart, end)
        .setAlertId(AlertIds.of("BUDGET", s.getTenantId(), period, String.valueOf(periodStart), fraction.toPlainString()))
        .setSeverity(fraction.compareTo(BigDecimal.ONE) >= 0 ? Severity.CRITICAL : Severity.WARNING)
        .setObservedValue(spent).setThreshold(threshold).setObservedUnit("nano_usd").setCostNanos(spent)
        .setMessage("%s of the %s budget used: %s of %s".formatted(pct, period, Money.usd(spent), Money.usd(budget)))
        .setEvidence(RouteChecks.evidence("spent_nanos", spent, "budget_nanos", budget, "period", period,
            "period_start", Instant.ofEpochMilli(periodStart), "threshold", fraction.toPlainString()))
        .build();
  }

  /** The static ceiling, at the end of every base window: the tenant's cost in that window. */
  public static Check ceiling(TenantSpend s, long start, long end, long windowCost, CatalogueConfig.SpendBaseline c) {
    if (!c.enabled() || c.ceilingPerMinuteNanos() == null) {
      return Check.unknown("ceiling");
    }
    long limit = Math.max(1, c.ceilingPerMinuteNanos() * (end - start) / 60_000);
    return new Check("ceiling", windowCost > limit, draft(AlertType.SPEND_VS_BASELINE, s.getTenantId(), "tenant",
        s.getTenantId(), start, end).setSeverity(Severity.CRITICAL)
        .setObservedValue(windowCost).setThreshold(limit).setObservedUnit("nano_usd").setCostNanos(windowCost)
        .setMessage("Spend of %s in %d s is above the ceiling of %s per minute".formatted(Money.usd(windowCost),
            (end - start) / 1000, Money.usd(c.ceilingPerMinuteNanos())))
        .setEvidence(RouteChecks.evidence("ceiling_nanos_per_minute", c.ceilingPerMinuteNanos())));
  }

  /** Today so far against the same part of the baseline days, and the last hour against the median hour. */
  public static List<Check> atHourEnd(TenantSpend s, long end, CatalogueConfig.SpendBaseline c, int baselineDays) {
    List<Check> out = new ArrayList<>();
    if (!c.enabled()) {
      return out;
    }
    long day = dayStart(end - 1);
    long today = 0;
    long baseline = 0;
    long oldest = s.getHours().isEmpty() ? end : s.getHours().getFirst().getStart();
    int days = 0;
    for (int k = 1; k <= baselineDays; k++) {
      if (day - k * RouteChecks.DAY >= oldest) {
        days++;
      }
    }
    for (HourCost h : s.getHours()) {
      if (h.getStart() >= day && h.getStart() < end) {
        today = Math.addExact(today, h.getCostNanos());
      }
      for (int k = 1; k <= days; k++) {
        long from = day - k * RouteChecks.DAY;
        if (h.getStart() >= from && h.getStart() < end - k * RouteChecks.DAY) {
          baseline = Math.addExact(baseline, h.getCostNanos());
        }
      }
    }
    if (days == 0 || today < c.minCostNanos() || baseline == 0) {
      out.add(Check.unknown("today"));
    } else {
      long mean = baseline / days;
      boolean holds = today > c.todayFactor().doubleValue() * mean;
      out.add(new Check("today", holds, draft(AlertType.SPEND_VS_BASELINE, s.getTenantId(), "tenant", s.getTenantId(),
          day, end).setObservedValue(today).setThreshold(Math.round(c.todayFactor().doubleValue() * mean))
          .setBaseline(mean).setObservedUnit("nano_usd").setCostNanos(today)
          .setMessage("Spend today so far is %s, %.1fx the %d-day average by this time of day (%s)".formatted(
              Money.usd(today), today / (double) mean, days, Money.usd(mean)))
          .setEvidence(RouteChecks.evidence("today_nanos", today, "baseline_mean_nanos", mean, "baseline_days", days,
              "day_start", Instant.ofEpochMilli(day)))));
    }
    long hourFrom = end - RouteState.HOUR;
    List<Long> previous = new ArrayList<>();
    long baseHours = (long) baselineDays * 24;
    java.util.Map<Long, Long> byHour = new java.util.HashMap<>();
    for (HourCost h : s.getHours()) {
      byHour.put(h.getStart(), h.getCostNanos());
    }
    long last = byHour.getOrDefault(hourFrom, 0L);
    long firstHour = Math.max(oldest, hourFrom - baseHours * RouteState.HOUR);
    for (long h = firstHour; h < hourFrom; h += RouteState.HOUR) {
      previous.add(byHour.getOrDefault(h, 0L));
    }
    if (previous.size() < 24 || last < c.minCostNanos()) {
      out.add(Check.unknown("hour"));
      return out;
    }
    List<Long> sorted = previous.stream().sorted().toList();
    long median = sorted.get(sorted.size() / 2);
    boolean holds = median > 0 && last > c.hourFactor().doubleValue() * median;
    out.add(new Check("hour", holds, draft(AlertType.SPEND_VS_BASELINE, s.getTenantId(), "tenant", s.getTenantId(),
        hourFrom, end).setObservedValue(last).setThreshold(Math.round(c.hourFactor().doubleValue() * median))
        .setBaseline(median).setObservedUnit("nano_usd").setCostNanos(last)
        .setMessage("Spend in the last hour was %s, %s the median hour of the last %d hours (%s)".formatted(
            Money.usd(last), median == 0 ? "above" : "%.1fx".formatted(last / (double) median), previous.size(),
            Money.usd(median)))
        .setEvidence(RouteChecks.evidence("hour_nanos", last, "median_hour_nanos", median, "hours", previous.size()))));
    return out;
  }
}
