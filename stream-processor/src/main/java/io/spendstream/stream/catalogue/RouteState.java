package io.spendstream.stream.catalogue;

import io.spendstream.schemas.LatencyHistogram;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.stream.state.avro.RouteHour;
import io.spendstream.stream.state.avro.RouteMinute;
import io.spendstream.stream.state.avro.RouteSeries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * A tenant x route's series for the catalogue: the final base windows of the longest rolling window (summed over
 * models) and hourly aggregates for the baselines. Size per route: with the defaults (1 h of 1-minute windows, 8 days
 * of hours) at most 60 minute entries (~12 numbers each, the latency histogram sparse) and 192 hour entries (5 numbers
 * and a cost and call count per model seen that hour): a few KB as varints, independent of traffic.
 */
public final class RouteState {
  public static final long HOUR = 3_600_000L;

  private RouteState() {}

  public static RouteSeries empty(String tenant, String route) {
    return RouteSeries.newBuilder().setTenantId(tenant).setRoute(route).setLastStart(Long.MIN_VALUE)
        .setMinutes(new ArrayList<>()).setHours(new ArrayList<>()).setFiring(new HashMap<>()).build();
  }

  /** Adds one final window (one model of the route) to the minute at its start and to its hour. */
  public static void add(RouteSeries s, CostWindow w) {
    long start = w.getWindowStart().toEpochMilli();
    List<RouteMinute> minutes = s.getMinutes();
    RouteMinute m = minutes.isEmpty() ? null : minutes.getLast();
    if (m == null || m.getStart() != start) {
      m = RouteMinute.newBuilder().setStart(start).setCalls(0).setErrors(0).setRateLimited(0).setMaxTokensStops(0)
          .setInputSideTokens(0).setCacheReadTokens(0).setCostNanos(0).setLatencyBuckets(new ArrayList<>()).build();
      minutes.add(m);
    }
    long inputSide = Math.addExact(Math.addExact(w.getInputTokens(), w.getCacheReadInputTokens()),
        w.getCacheCreationInputTokens());
    m.setCalls(m.getCalls() + w.getCalls());
    m.setErrors(m.getErrors() + w.getErrors());
    m.setRateLimited(m.getRateLimited() + w.getRateLimited());
    m.setMaxTokensStops(m.getMaxTokensStops() + w.getMaxTokensStops());
    m.setInputSideTokens(Math.addExact(m.getInputSideTokens(), inputSide));
    m.setCacheReadTokens(Math.addExact(m.getCacheReadTokens(), w.getCacheReadInputTokens()));
    m.setCostNanos(Math.addExact(m.getCostNanos(), w.getCostNanos()));
    m.setLatencyBuckets(addSparse(m.getLatencyBuckets(), w.getLatencyHistogram()));

    long hourStart = start - Math.floorMod(start, HOUR);
    List<RouteHour> hours = s.getHours();
    RouteHour h = hours.isEmpty() ? null : hours.getLast();
    if (h == null || h.getStart() != hourStart) {
      h = RouteHour.newBuilder().setStart(hourStart).setCalls(0).setInputSideTokens(0).setCacheReadTokens(0)
          .setCostNanos(0).setModelCostNanos(new HashMap<>()).setModelCalls(new HashMap<>()).build();
      hours.add(h);
    }
    h.setCalls(h.getCalls() + w.getCalls());
    h.setInputSideTokens(Math.addExact(h.getInputSideTokens(), inputSide));
    h.setCacheReadTokens(Math.addExact(h.getCacheReadTokens(), w.getCacheReadInputTokens()));
    h.setCostNanos(Math.addExact(h.getCostNanos(), w.getCostNanos()));
    h.getModelCostNanos().merge(w.getModel(), w.getCostNanos(), Math::addExact);
    h.getModelCalls().merge(w.getModel(), w.getCalls(), Long::sum);
    s.setLastStart(Math.max(s.getLastStart(), start));
  }

  /** Drops minutes that started before {@code minutesFrom} and hours before {@code hoursFrom}. */
  public static void trim(RouteSeries s, long minutesFrom, long hoursFrom) {
    // new lists: Avro's decoded arrays cannot remove through an iterator
    s.setMinutes(new ArrayList<>(s.getMinutes().stream().filter(m -> m.getStart() >= minutesFrom).toList()));
    s.setHours(new ArrayList<>(s.getHours().stream().filter(h -> h.getStart() >= hoursFrom).toList()));
  }

  /** Sums of the minutes that started at or after {@code from}. */
  public static Sums since(RouteSeries s, long from) {
    Sums t = new Sums();
    for (RouteMinute m : s.getMinutes()) {
      if (m.getStart() >= from) {
        t.calls += m.getCalls();
        t.errors += m.getErrors();
        t.rateLimited += m.getRateLimited();
        t.maxTokensStops += m.getMaxTokensStops();
        t.inputSide = Math.addExact(t.inputSide, m.getInputSideTokens());
        t.cacheRead = Math.addExact(t.cacheRead, m.getCacheReadTokens());
        t.cost = Math.addExact(t.cost, m.getCostNanos());
        List<Long> b = m.getLatencyBuckets();
        for (int i = 0; i + 1 < b.size(); i += 2) {
          t.latency[b.get(i).intValue()] += b.get(i + 1);
        }
      }
    }
    return t;
  }

  /** Rolling sums over minutes of one route. */
  public static final class Sums {
    public long calls;
    public long errors;
    public long rateLimited;
    public long maxTokensStops;
    public long inputSide;
    public long cacheRead;
    public long cost;
    public final long[] latency = new long[LatencyHistogram.BUCKETS];

    public long successes() {
      return calls - errors;
    }

    public long p95Ms() {
      List<Long> counts = new ArrayList<>(latency.length);
      for (long c : latency) {
        counts.add(c);
      }
      return LatencyHistogram.quantileMs(counts, 0.95);
    }
  }

  private static List<Long> addSparse(List<Long> sparse, List<Long> dense) {
    if (dense.isEmpty()) {
      return sparse;
    }
    long[] all = new long[LatencyHistogram.BUCKETS];
    for (int i = 0; i + 1 < sparse.size(); i += 2) {
      all[sparse.get(i).intValue()] += sparse.get(i + 1);
    }
    for (int i = 0; i < dense.size() && i < all.length; i++) {
      all[i] += dense.get(i);
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < all.length; i++) {
      if (all[i] != 0) {
        out.add((long) i);
        out.add(all[i]);
      }
    }
    return out;
  }
}
