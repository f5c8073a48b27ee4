package io.spendstream.stream.pricing;

import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.CallLimits;
import io.spendstream.schemas.DeadLetterHeaders;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.serde.PoisonRecordException;
import io.spendstream.stream.DimensionKeys;
import io.spendstream.stream.ProcessorMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a raw call, drops a repeated event_id of the same tenant, prices it.
 *
 * <p>A claim is on tenant + event_id ({@link #claimKey}): tenants choose their ids, so the same id from two
 * tenants is two calls, and no tenant can make another's call vanish by reusing its id.
 *
 * <p>Dedupe claims a tenant's event_id with the position (partition/offset) of the copy that claimed it. A copy
 * is a duplicate only when a <em>different</em> record holds the claim: if the first attempt at a record
 * claimed it and then crashed before its output was committed, reprocessing the same record finds its own
 * claim and is priced again, so no call is lost (with exactly_once_v2 the claim and the output commit
 * together anyway; the position check keeps at_least_once from losing calls too).
 *
 * <p>Unreadable bytes and calls that break {@link CallChecks} become dead letters with the reason; an
 * unreachable registry is an infrastructure fault and is thrown (the record is retried, never skipped).
 */
final class DecodeDedupePrice implements Processor<byte[], byte[], SourceKey, Outcome> {
  private static final Logger LOG = LoggerFactory.getLogger(DecodeDedupePrice.class);

  private final Deserializer<LlmCall> calls;
  private final Pricer pricer;
  private final Duration horizon;
  private final String storeName;
  private final ProcessorMetrics metrics;
  private ProcessorContext<SourceKey, Outcome> context;
  private WindowStore<String, String> claims;

  DecodeDedupePrice(Deserializer<LlmCall> calls, Pricer pricer, Duration horizon, String storeName, ProcessorMetrics metrics) {
    this.calls = calls;
    this.pricer = pricer;
    this.horizon = horizon;
    this.storeName = storeName;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<SourceKey, Outcome> context) {
    this.context = context;
    this.claims = context.getStateStore(storeName);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.consumed.increment();
    String position = context.recordMetadata().map(m -> m.topic() + "/" + m.partition() + "/" + m.offset()).orElse("?");
    if (record.value() == null) {
      deadLetter(record, "empty value (tombstone): a call needs a body", position);
      return;
    }
    LlmCall call;
    try {
      call = calls.deserialize(context.recordMetadata().map(RecordMetadata::topic).orElse(Topics.LLM_CALLS), record.value());
    } catch (PoisonRecordException e) {
      deadLetter(record, e.reason() + ": " + e.getMessage(), position);
      return;
    }
    List<String> problems = CallChecks.problems(call);
    if (!problems.isEmpty()) {
      deadLetter(record, String.join("; ", problems), position);
      return;
    }
    if (call.getTenantId() == null || call.getTenantId().isBlank()) {
      call.setTenantId(Topics.SYSTEM_TENANT); // spend never loses its tenant: internal jobs are __system__
    }
    long ts = call.getTimestamp().toEpochMilli();
    String claimKey = claimKey(call.getTenantId(), call.getEventId());
    String claim = firstClaim(claimKey, ts);
    if (claim != null && !claim.equals(position)) {
      metrics.duplicates.increment();
      return;
    }
    PricedCall priced;
    try {
      priced = pricer.price(call);
    } catch (ArithmeticException e) { // a catalog price so high that the cost leaves a long
      deadLetter(record, "cost: out of range (" + e.getMessage() + ")", position);
      return;
    }
    if (priced.getCostNanos() > CallLimits.MAX_COST_NANOS) {
      deadLetter(record, "cost: " + priced.getCostNanos() + " nano-USD is above the plausibility limit of "
          + CallLimits.MAX_COST_NANOS + " for one call (check the catalog price of " + call.getModel() + ")", position);
      return;
    }
    if (claim == null) {
      claims.put(claimKey, position, ts);
    }
    if (priced.getPriceStatus() != PriceStatus.PRICED) {
      metrics.unpriced.increment();
    }
    metrics.priced.increment();
    SourceKey key = new SourceKey(DimensionKeys.tenantModelRoute(call).getBytes(StandardCharsets.UTF_8), partition());
    context.forward(new Record<SourceKey, Outcome>(key, new Outcome.Priced(priced), ts, record.headers()));
  }

  private int partition() {
    return context.recordMetadata().map(RecordMetadata::partition).orElse(context.taskId().partition());
  }

  /**
   * The dedupe key: the tenant's length first, so that no tenant/event_id pair can spell another's
   * ({@code "ab" + "c"} and {@code "a" + "bc"} differ).
   */
  static String claimKey(String tenant, String eventId) {
    return tenant.length() + ":" + tenant + eventId;
  }

  private String firstClaim(String key, long ts) {
    Instant from = Instant.ofEpochMilli(Math.max(0, ts - horizon.toMillis()));
    Instant to = Instant.ofEpochMilli(ts + horizon.toMillis());
    try (WindowStoreIterator<String> it = claims.fetch(key, from, to)) {
      return it.hasNext() ? it.next().value : null;
    }
  }

  private void deadLetter(Record<byte[], byte[]> record, String reason, String position) {
    metrics.deadLettered.increment();
    LOG.warn("event=dead_letter stage=stream-processor source={} reason=\"{}\"", position, reason);
    RecordHeaders headers = new RecordHeaders(record.headers().toArray());
    headers.add(DeadLetterHeaders.REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetterHeaders.SOURCE, position.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetterHeaders.STAGE, "stream-processor".getBytes(StandardCharsets.UTF_8));
    context.forward(new Record<SourceKey, Outcome>(new SourceKey(record.key(), partition()),
        new Outcome.DeadLetter(DeadLetterHeaders.cut(record.value(), headers), reason), record.timestamp(), headers));
  }
}
