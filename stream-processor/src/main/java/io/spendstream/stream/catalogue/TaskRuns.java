package io.spendstream.stream.catalogue;

import io.spendstream.pricing.Money;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.AlertIds;
import io.spendstream.stream.config.CatalogueConfig;
import io.spendstream.stream.shard.TaskPartials;
import io.spendstream.stream.state.avro.TaskPartial;
import io.spendstream.stream.state.avro.TaskRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * RUNAWAY_TASK: per tenant x root task (a subtask's calls count for the task at the root of its parent chain), the
 * active run's calls ("hops") and cost, and the task's lifetime cost. A run ends after {@code idle} without calls;
 * the next call starts a new run. Each threshold fires once per run (the lifetime one once per task), at the end of
 * the base window whose calls crossed it. A task is forgotten {@link #KEEP} after its last call.
 */
public final class TaskRuns {
  /** How long a task's lifetime cost is kept after its last call (the oldest calls the gateway takes). */
  public static final Duration KEEP = Duration.ofDays(7);
  private static final int MAX_CHILDREN = 1000;

  private final KeyValueStore<String, TaskRun> runs;
  private final KeyValueStore<String, String> roots;

  public TaskRuns(KeyValueStore<String, TaskRun> runs, KeyValueStore<String, String> roots) {
    this.runs = runs;
    this.roots = roots;
  }

  private String rootOf(String tenant, String task, String parent) {
    String known = roots.get(TaskPartials.taskKey(tenant, task));
    if (known != null) {
      return known;
    }
    if (parent == null || parent.equals(task)) {
      return task;
    }
    String parentRoot = roots.get(TaskPartials.taskKey(tenant, parent));
    return parentRoot != null ? parentRoot : parent;
  }

  /** Adds one task's (merged) totals of a final base window ending at {@code end}; returns the alerts it crossed. */
  public List<Alert> add(TaskPartial p, long end, CatalogueConfig.RunawayTask c) {
    String tenant = p.getTenantId();
    String root = rootOf(tenant, p.getTaskId(), p.getParentTaskId());
    String key = TaskPartials.taskKey(tenant, root);
    TaskRun run = runs.get(key);
    if (run == null || p.getFirstAt() - run.getRun().getLastAt() > c.idle().toMillis()) {
      TaskPartial fresh = TaskPartial.newBuilder(p).setTaskId(root).setParentTaskId(null)
          .setRoutes(new ArrayList<>(p.getRoutes())).setModels(new ArrayList<>(p.getModels())).build();
      run = run == null
          ? TaskRun.newBuilder().setRun(fresh).setLifetimeCostNanos(0).setHopsFired(false).setCostFired(false)
              .setConversationFired(false).setChildren(new ArrayList<>()).build()
          : TaskRun.newBuilder(run).setRun(fresh).setHopsFired(false).setCostFired(false).build();
    } else {
      TaskPartials.merge(run.getRun(), p);
    }
    run.setLifetimeCostNanos(Math.addExact(run.getLifetimeCostNanos(), p.getCostNanos()));
    if (!p.getTaskId().equals(root)) {
      roots.put(TaskPartials.taskKey(tenant, p.getTaskId()), root);
      if (run.getChildren().size() < MAX_CHILDREN && !run.getChildren().contains(p.getTaskId())) {
        List<String> children = new ArrayList<>(run.getChildren());
        children.add(p.getTaskId());
        run.setChildren(children);
      }
    }
    List<Alert> out = new ArrayList<>();
    TaskPartial r = run.getRun();
    if (!run.getHopsFired() && r.getCalls() > c.maxHops()) {
      run.setHopsFired(true);
      out.add(alert(run, "hops", end, r.getCalls(), c.maxHops(), "calls",
          "Task %s looped: %d calls in one run (threshold %d), %s so far".formatted(root, r.getCalls(), c.maxHops(),
              Money.usd(r.getCostNanos()))));
    }
    if (!run.getCostFired() && r.getCostNanos() > c.maxCostNanos()) {
      run.setCostFired(true);
      out.add(alert(run, "cost", end, r.getCostNanos(), c.maxCostNanos(), "nano_usd",
          "Task %s cost %s in one run (threshold %s), %d calls".formatted(root, Money.usd(r.getCostNanos()),
              Money.usd(c.maxCostNanos()), r.getCalls())));
    }
    if (!run.getConversationFired() && run.getLifetimeCostNanos() > c.conversationCostNanos()) {
      run.setConversationFired(true);
      out.add(alert(run, "conversation", end, run.getLifetimeCostNanos(), c.conversationCostNanos(), "nano_usd",
          "Conversation %s has cost %s in all (threshold %s)".formatted(root, Money.usd(run.getLifetimeCostNanos()),
              Money.usd(c.conversationCostNanos()))));
    }
    runs.put(key, run);
    return out;
  }

  private static Alert alert(TaskRun run, String condition, long end, long observed, long threshold, String unit,
      String message) {
    TaskPartial r = run.getRun();
    // a run is one incident: the id names the run (its first call), the lifetime alert the task
    String runId = condition.equals("conversation") ? "" : String.valueOf(r.getFirstAt());
    return Alert.newBuilder()
        .setAlertId(AlertIds.of("RUNAWAY_TASK", r.getTenantId(), r.getTaskId(), condition, runId))
        .setType(AlertType.RUNAWAY_TASK).setStatus(AlertStatus.FIRING)
        .setSeverity(condition.equals("hops") ? Severity.WARNING : Severity.CRITICAL)
        .setTenantId(r.getTenantId()).setDimension("task_id").setDimensionValue(r.getTaskId())
        .setRoute(r.getRoutes().isEmpty() ? null : r.getRoutes().getFirst())
        .setModel(r.getModels().isEmpty() ? null : r.getModels().getFirst())
        .setDetectedAt(Instant.ofEpochMilli(end)).setWindowStart(Instant.ofEpochMilli(r.getFirstAt()))
        .setWindowEnd(Instant.ofEpochMilli(end)).setObservedValue(observed).setThreshold(threshold).setBaseline(null)
        .setObservedUnit(unit).setZScore(null).setCostNanos(r.getCostNanos()).setMessage(message)
        .setEvidence(RouteChecks.evidence("hops", r.getCalls(), "cost_nanos", r.getCostNanos(), "lifetime_cost_nanos",
            run.getLifetimeCostNanos(), "first_call", Instant.ofEpochMilli(r.getFirstAt()), "last_call",
            Instant.ofEpochMilli(r.getLastAt()), "routes", String.join(",", r.getRoutes()), "models",
            String.join(",", r.getModels()), "input_tokens", r.getInputTokens(), "output_tokens", r.getOutputTokens(),
            "cache_read_tokens", r.getCacheReadTokens(), "cache_creation_tokens", r.getCacheCreationTokens(),
            "subtasks", run.getChildren().size()))
        .build();
  }

  /** Forgets tasks without calls for {@link #KEEP} (their subtasks' roots too). */
  public void expire(long now) {
    List<KeyValue<String, TaskRun>> old = new ArrayList<>();
    try (KeyValueIterator<String, TaskRun> it = runs.all()) {
      while (it.hasNext()) {
        KeyValue<String, TaskRun> e = it.next();
        if (now - e.value.getRun().getLastAt() > KEEP.toMillis()) {
          old.add(e);
        }
      }
    }
    for (KeyValue<String, TaskRun> e : old) {
      runs.delete(e.key);
      String tenant = e.value.getRun().getTenantId();
      e.value.getChildren().forEach(child -> roots.delete(TaskPartials.taskKey(tenant, child)));
    }
  }
}
