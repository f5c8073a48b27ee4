package io.spendstream.stream.shard;

import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.state.avro.TaskPartial;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A shard's open base windows per tenant x task (calls that carry a task_id), for RUNAWAY_TASK at the merge stage:
 * keyed like {@link MinutePartials} (start first), so closing reads only the windows that ended.
 */
public final class TaskPartials {
  private final KeyValueStore<Bytes, TaskPartial> store;
  private final long sizeMs;

  public TaskPartials(KeyValueStore<Bytes, TaskPartial> store, long sizeMs) {
    this.store = store;
    this.sizeMs = sizeMs;
  }

  public static String taskKey(String tenant, String task) {
    return tenant.length() + ":" + tenant + task;
  }

  public void add(long startMs, PricedCall priced) {
    LlmCall c = priced.getCall();
    Bytes key = MinutePartials.key(startMs, taskKey(c.getTenantId(), c.getTaskId()));
    TaskPartial p = store.get(key);
    long ts = c.getTimestamp().toEpochMilli();
    if (p == null) {
      p = TaskPartial.newBuilder().setTenantId(c.getTenantId()).setTaskId(c.getTaskId())
          .setParentTaskId(c.getParentTaskId()).setStart(startMs).setCalls(0).setCostNanos(0).setInputTokens(0)
          .setOutputTokens(0).setCacheReadTokens(0).setCacheCreationTokens(0).setFirstAt(ts).setLastAt(ts)
          .setRoutes(new ArrayList<>()).setModels(new ArrayList<>()).build();
    }
    store.put(key, add(p, priced));
  }

  /** Adds one call to a task's sums (checked). */
  public static TaskPartial add(TaskPartial p, PricedCall priced) {
    LlmCall c = priced.getCall();
    long ts = c.getTimestamp().toEpochMilli();
    p.setCalls(p.getCalls() + 1);
    p.setCostNanos(Math.addExact(p.getCostNanos(), priced.getCostNanos()));
    p.setInputTokens(Math.addExact(p.getInputTokens(), c.getInputTokens()));
    p.setOutputTokens(Math.addExact(p.getOutputTokens(), c.getOutputTokens()));
    p.setCacheReadTokens(Math.addExact(p.getCacheReadTokens(), c.getCacheReadInputTokens()));
    p.setCacheCreationTokens(Math.addExact(p.getCacheCreationTokens(), c.getCacheCreationInputTokens()));
    p.setFirstAt(Math.min(p.getFirstAt(), ts));
    p.setLastAt(Math.max(p.getLastAt(), ts));
    if (p.getParentTaskId() == null && c.getParentTaskId() != null) {
      p.setParentTaskId(c.getParentTaskId());
    }
    addDistinct(p.getRoutes(), c.getRoute());
    addDistinct(p.getModels(), c.getModel());
    return p;
  }

  /** Adds {@code p}'s totals into {@code sum} (checked); routes and models as distinct short lists. */
  public static TaskPartial merge(TaskPartial sum, TaskPartial p) {
    sum.setCalls(sum.getCalls() + p.getCalls());
    sum.setCostNanos(Math.addExact(sum.getCostNanos(), p.getCostNanos()));
    sum.setInputTokens(Math.addExact(sum.getInputTokens(), p.getInputTokens()));
    sum.setOutputTokens(Math.addExact(sum.getOutputTokens(), p.getOutputTokens()));
    sum.setCacheReadTokens(Math.addExact(sum.getCacheReadTokens(), p.getCacheReadTokens()));
    sum.setCacheCreationTokens(Math.addExact(sum.getCacheCreationTokens(), p.getCacheCreationTokens()));
    sum.setFirstAt(Math.min(sum.getFirstAt(), p.getFirstAt()));
    sum.setLastAt(Math.max(sum.getLastAt(), p.getLastAt()));
    List<String> routes = new ArrayList<>(sum.getRoutes());
    p.getRoutes().forEach(r -> addDistinct(routes, r));
    sum.setRoutes(routes);
    List<String> models = new ArrayList<>(sum.getModels());
    p.getModels().forEach(m -> addDistinct(models, m));
    sum.setModels(models);
    return sum;
  }

  /** Keeps a short list of distinct names (evidence, not accounting: at most 10). */
  static void addDistinct(List<String> names, String name) {
    if (name != null && names.size() < 10 && !names.contains(name)) {
      names.add(name);
    }
  }

  /** Removes and returns the windows ending at or before {@code upToMs}, in order of start and task. */
  public List<TaskPartial> removeEndingBy(long upToMs) {
    List<KeyValue<Bytes, TaskPartial>> done = new ArrayList<>();
    try (KeyValueIterator<Bytes, TaskPartial> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, TaskPartial> e = it.next();
        if (MinutePartials.startOf(e.key) + sizeMs > upToMs) {
          break;
        }
        done.add(e);
      }
    }
    List<TaskPartial> out = new ArrayList<>(done.size());
    for (KeyValue<Bytes, TaskPartial> e : done) {
      store.delete(e.key);
      out.add(e.value);
    }
    return out;
  }
}
