package io.spendstream.stream.shard;

import io.spendstream.schemas.CallKeys;
import io.spendstream.schemas.DeadLetterHeaders;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.AlertProcessor;
import io.spendstream.stream.DimensionKeys;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.merge.ShardReport;
import io.spendstream.stream.pricing.CallIntake;
import io.spendstream.stream.pricing.SourceKey;
import io.spendstream.stream.retrystorm.RetryStormDetector;
import io.spendstream.stream.retrystorm.StormState;
import io.spendstream.stream.state.avro.TaskPartial;
import io.spendstream.stream.unpriced.UnpricedModels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot path: everything a call needs, in one processor on the partition it came in on (a shard). Decode and
 * check, price, re-key a call that is not on its {@link CallKeys} partition, per-tenant dedupe, write the priced
 * call, add it to this shard's open base-window partials, retry-storm check (unpriced calls go on to the merge stage). No read-back of
 * the priced topic, no per-call repartition.
 *
 * <p>The shard keeps its own event-time clock (the newest priced call or tick), so a backlog on one partition
 * never makes another's calls late. When the clock passes a base window's end plus the grace, the shard sends the
 * window's partials to the merge stage and then a watermark; a call whose base window this shard already closed is
 * too late for the windows (counted; it is still priced and in ClickHouse).
 */
public final class ShardPass implements Processor<byte[], byte[], Void, ShardOutput> {
  private static final Logger LOG = LoggerFactory.getLogger(ShardPass.class);
  static final String TIME = "time";
  static final String CLOSED = "closed-up-to";

  /** Store names, shared by the topology and tests. */
  public record Stores(String claims, String clock, String partials, String storms, String tasks) {}

  private final CallIntake intake;
  private final ProcessorConfig config;
  private final String reroutedTopic;
  private final Stores names;
  private final ProcessorMetrics metrics;
  private final long baseMs;
  private final long graceMs;
  private final long stormBucketMs;
  private final long maxAgeMs;
  private ProcessorContext<Void, ShardOutput> context;
  private KeyValueStore<String, Long> clock;
  private MinutePartials partials;
  private TaskPartials tasks;
  private WindowStore<String, StormState> storms;
  private long time;
  private long closedUpTo;

  public ShardPass(CallIntake intake, ProcessorConfig config, String reroutedTopic, Stores names, ProcessorMetrics metrics) {
    this.intake = intake;
    this.config = config;
    this.reroutedTopic = reroutedTopic;
    this.names = names;
    this.metrics = metrics;
    this.baseMs = config.windows().base().toMillis();
    this.graceMs = config.windows().grace().toMillis();
    this.stormBucketMs = RetryStormDetector.stateBucket(config, config.windows().grace()).toMillis();
    this.maxAgeMs = config.dedupe().maxAge().toMillis();
  }

  @Override
  public void init(ProcessorContext<Void, ShardOutput> context) {
    this.context = context;
    intake.init(context.getStateStore(names.claims()));
    clock = context.getStateStore(names.clock());
    partials = new MinutePartials(context.getStateStore(names.partials()), baseMs);
    tasks = new TaskPartials(context.getStateStore(names.tasks()), baseMs);
    storms = context.getStateStore(names.storms());
    Long t = clock.get(TIME);
    Long c = clock.get(CLOSED);
    time = t == null ? Long.MIN_VALUE : t;
    closedUpTo = c == null ? Long.MIN_VALUE : c;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (record.value() == null && record.headers().lastHeader(Topics.TICK_HEADER) != null) {
      metrics.ticks.increment();
      advance(record.timestamp());
      closeWindows();
      return;
    }
    metrics.consumed.increment();
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse(null);
    String position = context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()).orElse("?");
    LlmCall call;
    switch (intake.decode(topic, record.value())) {
      case CallIntake.Decoded.Refused r -> {
        deadLetter(record, r.reason(), position);
        return;
      }
      case CallIntake.Decoded.Call c -> call = c.call();
    }
    PricedCall priced;
    switch (intake.price(call)) {
      case CallIntake.Claim.Priced p -> priced = p.call();
      case CallIntake.Claim.Refused r -> {
        deadLetter(record, r.reason(), position); // refused where it came in, under its own key and position
        return;
      }
      case CallIntake.Claim.Duplicate d -> throw new IllegalStateException("pricing claims nothing");
    }
    byte[] key = CallKeys.bytes(call);
    if (!reroutedTopic.equals(topic) && !Arrays.equals(key, record.key())) {
      // dedupe and storms need every copy of a call on one partition: move it there, once
      metrics.rerouted.increment();
      context.forward(new Record<Void, ShardOutput>(null, new ShardOutput.Reroute(key, record.value()), record.timestamp(),
          record.headers()));
      return;
    }
    long ts = call.getTimestamp().toEpochMilli();
    if (time != Long.MIN_VALUE && ts < time - maxAgeMs) {
      // its claim would be outside what the dedupe state keeps: priced without the check it could count twice
      deadLetter(record, "timestamp: " + call.getTimestamp() + " is older than dedupe.max_age ("
          + config.dedupe().maxAge() + ") behind the newest call of this partition; raise dedupe.max_age to take it",
          position);
      return;
    }
    if (intake.claim(priced, position) instanceof CallIntake.Claim.Priced p) {
      onPriced(p.call(), record);
    }
  }

  private void onPriced(PricedCall priced, Record<byte[], byte[]> record) {
    LlmCall call = priced.getCall();
    long ts = call.getTimestamp().toEpochMilli();
    SourceKey key = new SourceKey(DimensionKeys.tenantModelRoute(call).getBytes(StandardCharsets.UTF_8), partition());
    context.forward(new Record<Void, ShardOutput>(null, new ShardOutput.Priced(key, priced), ts, record.headers()));
    advance(ts);
    long start = ts - Math.floorMod(ts, baseMs);
    if (start + baseMs + graceMs <= time) { // the rule by which a windowed aggregation drops a record
      // too late for the smallest window means missing from every size: the larger ones are its sums
      config.windows().sizes().forEach(s -> metrics.tooLate(s).increment());
      metrics.anomalyTooLate.increment();
    } else {
      partials.add(start, priced);
      if (call.getTaskId() != null) {
        tasks.add(start, priced);
      }
    }
    if (call.getPromptHash() != null) {
      checkStorm(priced);
    }
    if (priced.getPriceStatus() != PriceStatus.PRICED) { // rare: the merge stage raises UNPRICED_MODEL once per model
      context.forward(new Record<Void, ShardOutput>(null, new ShardOutput.Report(UnpricedModels.key(call),
          new ShardReport.Unpriced(partition(), priced)), ts));
    }
    closeWindows();
  }

  /** Retry storms per tenant x prompt hash; the pair's state lives under the current bucket of the shard's clock. */
  private void checkStorm(PricedCall priced) {
    long bucket = time - Math.floorMod(time, stormBucketMs);
    String key = DimensionKeys.tenantPrompt(priced.getCall());
    StormState previous = storms.fetch(key, bucket);
    if (previous == null) {
      previous = storms.fetch(key, bucket - stormBucketMs);
    }
    RetryStormDetector.Result r = RetryStormDetector.onCall(previous, RetryStormDetector.callOf(priced),
        config.retryStorm(priced.getCall().getTenantId()));
    storms.put(key, r.state(), bucket);
    if (r.alert() != null) {
      raise(r.alert(), metrics.stormAlerts);
    }
  }

  private void raise(Alert a, LongAdder counter) {
    AlertProcessor.log(a, counter);
    context.forward(new Record<Void, ShardOutput>(null, new ShardOutput.Raised(a), a.getDetectedAt().toEpochMilli()));
  }

  private void advance(long ts) {
    if (ts > time) {
      time = ts;
      clock.put(TIME, ts);
    }
  }

  /** Sends the partials of every base window that ended a grace ago in this shard's time, then the watermark. */
  private void closeWindows() {
    if (time == Long.MIN_VALUE) {
      return;
    }
    long edge = time - graceMs;
    long upTo = edge - Math.floorMod(edge, baseMs);
    if (closedUpTo != Long.MIN_VALUE && upTo <= closedUpTo) {
      return;
    }
    int shard = partition();
    for (CostWindow w : partials.removeEndingBy(upTo)) {
      w.setShard(shard);
      context.forward(new Record<Void, ShardOutput>(null,
          new ShardOutput.Report(w.getTenantId(), new ShardReport.Partial(shard, w)), time));
    }
    // one report per tenant and window (ordered by start, then tenant and task: the store's order)
    java.util.Map<String, java.util.List<TaskPartial>> batches = new java.util.LinkedHashMap<>();
    for (TaskPartial t : tasks.removeEndingBy(upTo)) {
      batches.computeIfAbsent(t.getStart() + "|" + t.getTenantId(), k -> new java.util.ArrayList<>()).add(t);
    }
    for (java.util.List<TaskPartial> batch : batches.values()) {
      context.forward(new Record<Void, ShardOutput>(null,
          new ShardOutput.Report(batch.getFirst().getTenantId(), new ShardReport.Tasks(shard, batch)), time));
    }
    closedUpTo = upTo;
    clock.put(CLOSED, upTo);
    context.forward(new Record<Void, ShardOutput>(null, new ShardOutput.Report("", new ShardReport.Watermark(shard, upTo)),
        time));
  }

  private int partition() {
    return context.taskId().partition();
  }

  private void deadLetter(Record<byte[], byte[]> record, String reason, String position) {
    metrics.deadLettered.increment();
    LOG.warn("event=dead_letter stage=stream-processor source={} reason=\"{}\"", position, reason);
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    DeadLetterHeaders.add(headers, reason, position, "stream-processor");
    context.forward(new Record<Void, ShardOutput>(null,
        new ShardOutput.DeadLetter(record.key(), DeadLetterHeaders.cut(record.value(), headers)), record.timestamp(),
        headers));
  }
}
