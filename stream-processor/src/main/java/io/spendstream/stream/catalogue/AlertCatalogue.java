package io.spendstream.stream.catalogue;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.AlertIds;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.config.CatalogueConfig;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.state.avro.Firing;
import io.spendstream.stream.shard.MinutePartials;
import io.spendstream.stream.shard.TaskPartials;
import io.spendstream.stream.state.avro.RouteSeries;
import io.spendstream.stream.state.avro.TaskPartial;
import io.spendstream.stream.state.avro.TenantSpend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The alert catalogue on the merged series: the merge stage hands it every final base window in event-time order
 * (all dimensions of one window start together), and it updates each tenant x route's series and each tenant's spend,
 * runs the detectors ({@link RouteChecks}, {@link TenantChecks}, {@link TaskRuns}) and turns their checks into alerts
 * once per condition, with cooldown and RESOLVED ({@link Conditions}). Routes and tenants with recent traffic or a
 * firing condition are evaluated at every window end even without new calls, so conditions clear when traffic stops.
 */
public final class AlertCatalogue {
  /** Store names, shared by the topology and tests. */
  public record Stores(String routes, String tenants, String taskPartials, String taskRuns, String taskRoots) {}

  private final ProcessorConfig config;
  private final long baseMs;
  private final ProcessorMetrics metrics;
  private KeyValueStore<String, RouteSeries> routes;
  private KeyValueStore<String, TenantSpend> tenants;
  private KeyValueStore<Bytes, List<TaskPartial>> taskPartials;
  private TaskRuns taskRuns;
  /** Routes and tenants to evaluate without new calls: rebuilt from the stores on start. */
  private final Set<String> liveRoutes = new TreeSet<>();
  private final Set<String> liveTenants = new TreeSet<>();
  private long lastExpiry = Long.MIN_VALUE / 2;

  public AlertCatalogue(ProcessorConfig config, ProcessorMetrics metrics) {
    this.config = config;
    this.baseMs = config.windows().base().toMillis();
    this.metrics = metrics;
  }

  public void init(Stores names, ProcessorContext<?, ?> context) {
    this.routes = context.getStateStore(names.routes());
    this.tenants = context.getStateStore(names.tenants());
    this.taskPartials = context.getStateStore(names.taskPartials());
    this.taskRuns = new TaskRuns(context.getStateStore(names.taskRuns()), context.getStateStore(names.taskRoots()));
    try (KeyValueIterator<String, RouteSeries> it = routes.all()) {
      while (it.hasNext()) {
        KeyValue<String, RouteSeries> e = it.next();
        if (!e.value.getMinutes().isEmpty() || !e.value.getFiring().isEmpty()) {
          liveRoutes.add(e.key);
        }
      }
    }
    try (KeyValueIterator<String, TenantSpend> it = tenants.all()) {
      while (it.hasNext()) {
        liveTenants.add(it.next().key);
      }
    }
  }

  /**
   * A shard's task totals of one tenant and base window: summed with the other shards' (one store entry per tenant and
   * window) until the window is final, when {@link #onWindowClosed} applies them in order; a window already final is
   * applied at once.
   */
  public List<Alert> onTaskPartials(List<TaskPartial> batch, long finalUpTo) {
    if (batch.isEmpty()) {
      return List.of();
    }
    TaskPartial first = batch.getFirst();
    CatalogueConfig c = config.alerts(first.getTenantId());
    if (!c.runawayTask().enabled()) {
      return List.of();
    }
    if (finalUpTo != Long.MIN_VALUE && first.getStart() + baseMs <= finalUpTo) {
      List<Alert> out = new ArrayList<>();
      batch.forEach(p -> out.addAll(taskRuns.add(p, p.getStart() + baseMs, c.runawayTask())));
      return out;
    }
    Bytes key = MinutePartials.key(first.getStart(), first.getTenantId());
    List<TaskPartial> held = taskPartials.get(key);
    Map<String, TaskPartial> byTask = new TreeMap<>();
    if (held != null) {
      held.forEach(p -> byTask.put(p.getTaskId(), p));
    }
    for (TaskPartial p : batch) {
      TaskPartial sum = byTask.get(p.getTaskId());
      if (sum == null) {
        byTask.put(p.getTaskId(), p);
      } else {
        if (sum.getParentTaskId() == null) {
          sum.setParentTaskId(p.getParentTaskId());
        }
        TaskPartials.merge(sum, p);
      }
    }
    taskPartials.put(key, new ArrayList<>(byTask.values()));
    return List.of();
  }

  /**
   * Forgets idle tasks, at most once a day of event time and once per finalisation (a scan of every task: a replay's
   * closing tick must not repeat it for each hour it skips).
   */
  public void expireTasks(long upTo) {
    if (upTo - lastExpiry >= RouteChecks.DAY) {
      taskRuns.expire(upTo);
      lastExpiry = upTo;
    }
  }

  /** The tasks' totals of the windows that started by {@code start}, in order of start and task. */
  private List<Alert> closeTasks(long start, long end) {
    List<KeyValue<Bytes, List<TaskPartial>>> due = new ArrayList<>();
    try (KeyValueIterator<Bytes, List<TaskPartial>> it = taskPartials.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, List<TaskPartial>> e = it.next();
        if (MinutePartials.startOf(e.key) > start) {
          break;
        }
        due.add(e);
      }
    }
    List<Alert> out = new ArrayList<>();
    for (KeyValue<Bytes, List<TaskPartial>> e : due) {
      taskPartials.delete(e.key);
      for (TaskPartial p : e.value) {
        out.addAll(taskRuns.add(p, end, config.alerts(p.getTenantId()).runawayTask()));
      }
    }
    out.forEach(a -> metrics.catalogueFired(AlertType.RUNAWAY_TASK).increment());
    return out;
  }

  /** How long a route keeps its minutes: the longest rolling window, and at least an hour (hourly checks need it). */
  private long minutesKept(CatalogueConfig c) {
    return Math.max(c.longestRouteWindow().toMillis(), RouteState.HOUR);
  }

  /** How far back any state reaches (the baselines): idle time beyond it needs no hour-by-hour evaluation. */
  public long memory() {
    return hoursKept(config.alerts()) + RouteState.HOUR;
  }

  private static long hoursKept(CatalogueConfig c) {
    return (c.baselineDays() + 1L) * RouteChecks.DAY;
  }

  /**
   * The final windows of the base window starting at {@code start} (empty: no calls anywhere, the checks still run).
   * Returns the alerts to write, in a deterministic order.
   */
  public List<Alert> onWindowClosed(long start, List<CostWindow> windows) {
    long end = start + baseMs;
    boolean hourEnd = end % RouteState.HOUR == 0;
    Map<String, RouteSeries> touched = new TreeMap<>();
    Map<String, Long> tenantCost = new TreeMap<>();
    for (CostWindow w : windows) {
      String key = w.getTenantId().length() + ":" + w.getTenantId() + w.getRoute();
      RouteSeries s = touched.computeIfAbsent(key, k -> {
        RouteSeries r = routes.get(k);
        return r == null ? RouteState.empty(w.getTenantId(), w.getRoute()) : r;
      });
      if (s.getLastStart() > start) {
        continue; // already added (cannot happen with ordered finalisation; never count twice)
      }
      RouteState.add(s, w);
      tenantCost.merge(w.getTenantId(), w.getCostNanos(), Math::addExact);
    }
    List<Alert> out = new ArrayList<>(closeTasks(start, end));
    Set<String> routeKeys = new TreeSet<>(liveRoutes);
    routeKeys.addAll(touched.keySet());
    for (String key : routeKeys) {
      RouteSeries s = touched.containsKey(key) ? touched.get(key) : routes.get(key);
      if (s == null) {
        liveRoutes.remove(key);
        continue;
      }
      CatalogueConfig c = config.alerts(s.getTenantId());
      RouteState.trim(s, end - minutesKept(c), end - hoursKept(c));
      List<Check> checks = new ArrayList<>(RouteChecks.atWindowEnd(s, end, c));
      if (hourEnd) {
        checks.addAll(RouteChecks.atHourEnd(s, end, c));
      }
      apply(s.getTenantId(), s.getRoute(), s.getFiring(), checks, end, c, out);
      routes.put(key, s);
      if (s.getMinutes().isEmpty() && s.getFiring().isEmpty()) {
        liveRoutes.remove(key);
      } else {
        liveRoutes.add(key);
      }
    }
    Set<String> tenantKeys = new TreeSet<>(liveTenants);
    tenantKeys.addAll(tenantCost.keySet());
    for (String tenant : tenantKeys) {
      TenantSpend s = tenants.get(tenant);
      if (s == null) {
        s = TenantChecks.empty(tenant);
      }
      CatalogueConfig c = config.alerts(tenant);
      long cost = tenantCost.getOrDefault(tenant, 0L);
      if (tenantCost.containsKey(tenant)) {
        TenantChecks.add(s, start, cost);
        for (Alert a : TenantChecks.budget(s, end, c.budget())) {
          out.add(a);
          metrics.catalogueFired(AlertType.BUDGET).increment();
        }
      }
      TenantChecks.trim(s, end - hoursKept(c));
      List<Check> checks = new ArrayList<>();
      checks.add(TenantChecks.ceiling(s, start, end, cost, c.spendBaseline()));
      if (hourEnd) {
        checks.addAll(TenantChecks.atHourEnd(s, end, c.spendBaseline(), c.baselineDays()));
      }
      apply(tenant, tenant, s.getFiring(), checks, end, c, out);
      tenants.put(tenant, s);
      boolean recent = s.getLastStart() >= end - RouteState.HOUR;
      if (recent || !s.getFiring().isEmpty()) {
        liveTenants.add(tenant);
      } else {
        liveTenants.remove(tenant);
      }
    }
    return out;
  }

  /** Turns checks into alerts: fire once, resolve when cleared, suppress within the cooldown. */
  private void apply(String tenant, String value, Map<String, Firing> firing, List<Check> checks, long end,
      CatalogueConfig c, List<Alert> out) {
    for (Check check : checks) {
      Firing previous = firing.get(check.condition());
      if (check.holds() == null && previous == null) {
        continue;
      }
      AlertType type = check.draft() == null ? null : check.draft().getType();
      Duration cooldown = type == null ? Duration.ZERO : cooldown(type, c);
      String newId = AlertIds.of(type == null ? "" : type.name(), tenant, value, check.condition(), String.valueOf(end));
      Conditions.Outcome o = Conditions.evaluate(previous, check.holds(), end, cooldown, newId);
      if (o.state() == null) {
        firing.remove(check.condition());
      } else {
        firing.put(check.condition(), o.state());
      }
      switch (o.step()) {
        case FIRE -> {
          out.add(check.draft().setAlertId(newId).setStatus(AlertStatus.FIRING).build());
          metrics.catalogueFired(type).increment();
        }
        case RESOLVE -> {
          Alert.Builder d = check.draft();
          out.add(d.setAlertId(previous.getAlertId()).setStatus(AlertStatus.RESOLVED)
              .setMessage("Resolved: " + d.getMessage()).build());
          metrics.catalogueResolved.increment();
        }
        case SUPPRESSED -> metrics.catalogueSuppressed.increment();
        case NONE -> { }
      }
    }
  }

  static Duration cooldown(AlertType type, CatalogueConfig c) {
    return switch (type) {
      case ERROR_RATE -> c.errorRate().cooldown();
      case RATE_LIMITED -> c.rateLimited().cooldown();
      case LATENCY_P95 -> c.latencyP95().cooldown();
      case TRUNCATION_RATE -> c.truncationRate().cooldown();
      case NO_SUCCESS -> c.noSuccess().cooldown();
      case CACHE_RATIO_REGRESSION -> c.cacheRatio().cooldown();
      case PROMPT_GROWTH -> c.promptGrowth().cooldown();
      case MODEL_MIX_SHIFT -> c.modelMix().cooldown();
      case SPEND_VS_BASELINE -> c.spendBaseline().cooldown();
      default -> Duration.ZERO;
    };
  }
}
