package io.spendstream.stream.merge;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.anomaly.ZScoreDetector;
import io.spendstream.stream.catalogue.AlertCatalogue;
import io.spendstream.stream.config.AnomalyConfig;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.shard.MinutePartials;
import io.spendstream.stream.state.avro.CostBucket;
import io.spendstream.stream.state.avro.CostHistory;
import io.spendstream.stream.state.avro.UnpricedSeen;
import io.spendstream.stream.unpriced.UnpricedModels;
import io.spendstream.stream.windows.CostWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merge stage, per partition of the shard-reports topic (partitioned by tenant): sums the shards' partials of
 * each base window, and finalises a window once <em>every</em> shard's watermark has passed its end. So a window is
 * exact whatever order the input partitions catch up in after an outage: a shard racing ahead cannot close
 * another's windows. Each final window is written once to cost.windows.v1 with shard {@link #MERGED_SHARD}; larger
 * sizes are exact sums of base windows, released when the watermark passes their end; tenant-level detectors (cost
 * anomaly per tenant x route) run on the merged series, bucket by bucket in event-time order. Unpriced calls come
 * keyed by provider x model, so UNPRICED_MODEL is raised once per model and period by the task that owns the model.
 *
 * <p>A partial for a window this stage already finalised (a shard that was not counted, e.g. after partitions were
 * added without a restart) is written as its own row with its shard number: consumers sum over shards, so the total
 * stays exact, and the metric {@code merge_late_partials} shows it.
 */
public final class MinuteMerge implements Processor<String, ShardReport, String, Object> {
  /** The shard number of a window merged over every shard (fits ClickHouse's UInt16 column). */
  public static final int MERGED_SHARD = 65535;
  private static final Logger LOG = LoggerFactory.getLogger(MinuteMerge.class);
  private static final String FINAL = "final";
  private static final long HOUR = 3_600_000L;

  /** Store names, shared by the topology and tests. */
  public record Stores(String watermarks, String windows, String rollups, String buckets, String history,
      String unpriced, AlertCatalogue.Stores catalogue) {}

  private final ProcessorConfig config;
  private final int shards;
  private final Stores names;
  private final ProcessorMetrics metrics;
  private final long baseMs;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, Long> watermarks;
  private KeyValueStore<Bytes, CostWindow> windows;
  private KeyValueStore<String, CostWindow> rollups;
  private KeyValueStore<String, CostBucket> buckets;
  private KeyValueStore<String, CostHistory> history;
  private KeyValueStore<String, UnpricedSeen> unpriced;
  private final AlertCatalogue catalogue;
  private long finalUpTo;

  public MinuteMerge(ProcessorConfig config, int shards, Stores names, ProcessorMetrics metrics) {
    this.config = config;
    this.catalogue = new AlertCatalogue(config, metrics);
    this.shards = shards;
    this.names = names;
    this.metrics = metrics;
    this.baseMs = config.windows().base().toMillis();
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    watermarks = context.getStateStore(names.watermarks());
    windows = context.getStateStore(names.windows());
    rollups = context.getStateStore(names.rollups());
    buckets = context.getStateStore(names.buckets());
    history = context.getStateStore(names.history());
    unpriced = context.getStateStore(names.unpriced());
    catalogue.init(names.catalogue(), context);
    Long f = watermarks.get(FINAL);
    finalUpTo = f == null ? Long.MIN_VALUE : f;
  }

  @Override
  public void process(Record<String, ShardReport> record) {
    switch (record.value()) {
      case ShardReport.Partial p -> onPartial(p);
      case ShardReport.Watermark m -> onWatermark(m);
      case ShardReport.Tasks t -> catalogue.onTaskPartials(t.tasks(), finalUpTo)
          .forEach(a -> AlertProcessor.emit(context, a, metrics.catalogueAlerts));
      case ShardReport.Unpriced u -> {
        Alert a = UnpricedModels.onCall(unpriced, u.call(), config.unpriced());
        if (a != null) {
          AlertProcessor.emit(context, a, metrics.unpricedAlerts);
        }
      }
    }
  }

  private void onPartial(ShardReport.Partial p) {
    CostWindow w = p.window();
    long start = w.getWindowStart().toEpochMilli();
    String dimension = w.getTenantId() + '|' + w.getModel() + '|' + w.getRoute();
    if (finalUpTo != Long.MIN_VALUE && start + baseMs <= finalUpTo) {
      metrics.mergeLatePartials.increment();
      LOG.warn("event=late_partial shard={} window_start={} dimension=\"{}\" action=write_as_own_row", p.shard(),
          w.getWindowStart(), dimension);
      context.forward(new Record<>(dimension, w, w.getWindowEnd().toEpochMilli() - 1));
      return;
    }
    Bytes key = MinutePartials.key(start, dimension);
    CostWindow sum = windows.get(key);
    windows.put(key, sum == null ? w : CostWindows.merge(sum, w));
  }

  private void onWatermark(ShardReport.Watermark m) {
    if (m.shard() >= shards) {
      LOG.warn("event=unknown_shard shard={} shards={} detail=\"llm.calls.v1 has more partitions than at start: restart"
          + " the processor so that windows wait for them\"", m.shard(), shards);
      return;
    }
    String key = "shard-" + m.shard();
    Long before = watermarks.get(key);
    if (before != null && before >= m.upToMs()) {
      return;
    }
    watermarks.put(key, m.upToMs());
    long min = Long.MAX_VALUE;
    for (int s = 0; s < shards; s++) {
      Long w = s == m.shard() ? (Long) m.upToMs() : watermarks.get("shard-" + s);
      if (w == null) {
        return; // a shard not heard from yet: nothing is final
      }
      min = Math.min(min, w);
    }
    if (finalUpTo == Long.MIN_VALUE || min > finalUpTo) {
      finalise(min);
    }
  }

  /**
   * Writes every base window ending by {@code upTo}, then the larger windows and anomaly buckets that ended. The alert
   * catalogue sees the base windows start by start, and also every hour's end in between (its hourly checks).
   */
  private void finalise(long upTo) {
    TreeMap<Long, List<KeyValue<Bytes, CostWindow>>> byStart = new TreeMap<>();
    try (KeyValueIterator<Bytes, CostWindow> it = windows.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, CostWindow> e = it.next();
        long start = MinutePartials.startOf(e.key);
        if (start + baseMs > upTo) {
          break;
        }
        byStart.computeIfAbsent(start, k -> new ArrayList<>()).add(e);
      }
    }
    // window ends to evaluate: every window with calls, each hour's end, and upTo itself (conditions clear when idle)
    TreeSet<Long> ends = new TreeSet<>();
    byStart.keySet().forEach(st -> ends.add(st + baseMs));
    long from = finalUpTo != Long.MIN_VALUE ? finalUpTo : byStart.isEmpty() ? upTo : byStart.firstKey();
    // across a long idle gap (a far tick ends a replay) hour ends only as long as the baselines remember anything
    long lastData = Math.max(from, byStart.isEmpty() ? from : byStart.lastKey() + baseMs);
    long hoursUpTo = Math.min(upTo, lastData + catalogue.memory());
    for (long h = from - Math.floorMod(from, HOUR) + HOUR; h <= hoursUpTo && h > from; h += HOUR) {
      ends.add(h);
    }
    if (finalUpTo != Long.MIN_VALUE || !byStart.isEmpty()) {
      ends.add(upTo);
    }
    List<String> overflowed = new ArrayList<>();
    for (long end : ends) {
      long start = end - baseMs;
      List<CostWindow> closed = new ArrayList<>();
      for (KeyValue<Bytes, CostWindow> e : byStart.getOrDefault(start, List.of())) {
        windows.delete(e.key);
        CostWindow w = e.value;
        w.setShard(MERGED_SHARD);
        String dimension = MinutePartials.dimensionOf(e.key);
        context.forward(new Record<>(dimension, w, w.getWindowEnd().toEpochMilli() - 1));
        rollUp(w, dimension, overflowed);
        addToBucket(w, overflowed);
        closed.add(w);
      }
      for (Alert a : catalogue.onWindowClosed(start, closed)) {
        AlertProcessor.emit(context, a, metrics.catalogueAlerts);
      }
    }
    catalogue.expireTasks(upTo);
    releaseRollups(upTo);
    releaseBuckets(upTo);
    finalUpTo = upTo;
    watermarks.put(FINAL, upTo);
    if (!overflowed.isEmpty()) { // to the processing exception handler: dead-lettered with this reason, all else exact
      throw new ArithmeticException("sum would overflow a long: " + overflowed + " (the window is missing from them)");
    }
  }

  /** Store key of a larger window: size, start and dimension, so one store serves every larger size. */
  public static String rollupKey(long sizeMs, long startMs, String dimension) {
    return sizeMs + "|" + startMs + "|" + dimension;
  }

  private void rollUp(CostWindow w, String dimension, List<String> overflowed) {
    for (Duration size : config.windows().larger()) {
      long sizeMs = size.toMillis();
      long start = w.getWindowStart().toEpochMilli() - Math.floorMod(w.getWindowStart().toEpochMilli(), sizeMs);
      String key = rollupKey(sizeMs, start, dimension);
      CostWindow sum = rollups.get(key);
      if (sum == null) {
        sum = CostWindows.finish(CostWindows.empty(), start, start + sizeMs);
        sum.setShard(MERGED_SHARD);
      }
      try {
        rollups.put(key, CostWindows.merge(sum, w));
      } catch (ArithmeticException e) {
        overflowed.add(size + " window " + key);
      }
    }
  }

  private void releaseRollups(long upTo) {
    if (config.windows().larger().isEmpty()) {
      return;
    }
    List<KeyValue<String, CostWindow>> closed = new ArrayList<>();
    try (KeyValueIterator<String, CostWindow> it = rollups.all()) {
      while (it.hasNext()) {
        KeyValue<String, CostWindow> e = it.next();
        if (e.value.getWindowEnd().toEpochMilli() <= upTo) {
          closed.add(e);
        }
      }
    }
    closed.sort(Comparator.comparing(e -> e.key)); // deterministic order for replay
    for (KeyValue<String, CostWindow> e : closed) {
      rollups.delete(e.key);
      String dimension = e.key.substring(e.key.indexOf('|', e.key.indexOf('|') + 1) + 1);
      context.forward(new Record<>(dimension, e.value, e.value.getWindowEnd().toEpochMilli() - 1));
    }
  }

  private static String bucketKey(String tenant, String route, long start) {
    return tenant + '|' + route + '|' + start;
  }

  private void addToBucket(CostWindow w, List<String> overflowed) {
    AnomalyConfig a = config.anomaly(w.getTenantId());
    long bucketMs = a.bucket().toMillis();
    long start = w.getWindowStart().toEpochMilli() - Math.floorMod(w.getWindowStart().toEpochMilli(), bucketMs);
    String key = bucketKey(w.getTenantId(), w.getRoute(), start);
    CostBucket b = buckets.get(key);
    if (b == null) {
      b = CostBucket.newBuilder().setTenantId(w.getTenantId()).setRoute(w.getRoute()).setCostNanos(0).setCalls(0).build();
    }
    try {
      b.setCostNanos(Math.addExact(b.getCostNanos(), w.getCostNanos()));
      b.setCalls(b.getCalls() + w.getCalls());
      buckets.put(key, b);
    } catch (ArithmeticException e) {
      overflowed.add("anomaly bucket " + key);
    }
  }

  private record ClosedBucket(String key, long start, CostBucket bucket) {}

  /** Runs the cost-anomaly detector on every bucket that ended, per tenant x route in order of start. */
  private void releaseBuckets(long upTo) {
    List<ClosedBucket> closed = new ArrayList<>();
    try (KeyValueIterator<String, CostBucket> it = buckets.all()) {
      while (it.hasNext()) {
        KeyValue<String, CostBucket> e = it.next();
        long start = Long.parseLong(e.key.substring(e.key.lastIndexOf('|') + 1));
        if (start + config.anomaly(e.value.getTenantId()).bucket().toMillis() <= upTo) {
          closed.add(new ClosedBucket(e.key, start, e.value));
        }
      }
    }
    closed.sort(Comparator.comparing((ClosedBucket c) -> c.bucket().getTenantId()).thenComparing(c -> c.bucket().getRoute())
        .thenComparingLong(ClosedBucket::start));
    for (ClosedBucket c : closed) {
      buckets.delete(c.key());
      String tenant = c.bucket().getTenantId();
      String route = c.bucket().getRoute();
      String historyKey = tenant + '|' + route;
      ZScoreDetector.Result r = ZScoreDetector.onBucket(history.get(historyKey), tenant, route, c.start(),
          c.bucket().getCostNanos(), c.bucket().getCalls(), config.anomaly(tenant));
      history.put(historyKey, r.history());
      if (r.alert() != null) {
        AlertProcessor.emit(context, r.alert(), metrics.anomalyAlerts);
      }
    }
  }
}
