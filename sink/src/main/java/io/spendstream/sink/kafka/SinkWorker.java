package io.spendstream.sink.kafka;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.GenericRecord;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spendstream.ops.Failures;
import io.spendstream.ops.GroupMembership;
import io.spendstream.schemas.DeadLetterHeaders;
import io.spendstream.schemas.registry.RegistryAuthException;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.RegistryRequestException;
import io.spendstream.schemas.registry.RegistryUnavailableException;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroDeserializer;
import io.spendstream.schemas.serde.PoisonRecordException;
import io.spendstream.sink.SinkConfig;
import io.spendstream.sink.SinkMetrics;
import io.spendstream.sink.SinkTable;
import io.spendstream.sink.schema.Migration;
import io.spendstream.sink.schema.MigrationException;
import io.spendstream.sink.schema.Migrator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka -> ClickHouse, exactly once. The contract, per partition:
 * <ol>
 *   <li>records are collected into a batch [start, end] (see {@link PartitionBatch});
 *   <li>the rows are inserted with {@code insert_deduplication_token = topic-partition-start-end}, each row
 *       carrying its offset and the batch's end. ClickHouse <em>unavailable</em> (any failure but a refusal
 *       of values): retried with backoff, consumption paused, until it accepts — data is never skipped.
 *       ClickHouse <em>refusing values</em> ({@link Refusals}): the batch is split in halves, each with its
 *       own token, down to the rows it refuses; those become dead letters with the server's reason;
 *   <li>records that cannot be read or cannot be rows, and refused rows, go to the dead-letter topic, and
 *       the broker's acknowledgement of each is awaited;
 *   <li>only then is end + 1 committed.
 * </ol>
 * A crash between 2 and 4 leaves rows in ClickHouse past the committed offset. When a partition is assigned,
 * the sink asks ClickHouse for rows at or after the committed offset; if there are, it rebuilds exactly that
 * batch (same range, same rows, same tokens, same split), and ClickHouse drops the blocks it already has
 * (non_replicated/replicated_deduplication_window on every table, including the rollup behind the view).
 * If ClickHouse cannot answer then, the partition stays paused until it can. A rebalance while an insert
 * is being retried voids that batch (the partition's new batch recovers it), so a batch is never inserted
 * under two tokens. An unreachable registry rewinds every partition to its batch's start and retries.
 */
public final class SinkWorker implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);

  private final SinkConfig config;
  private final Client clickhouse;
  private final RowWriter writer;
  private final SinkMetrics metrics;
  private final Map<String, SinkTable<?>> tables = new HashMap<>();
  private final Map<String, AvroDeserializer<?>> deserializers = new HashMap<>();
  private final Map<TopicPartition, PartitionBatch> batches = new HashMap<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final JsonFactory json = new JsonFactory();
  private volatile boolean schemaReady;
  /** Counts rebalances (and rewinds), so a loop over polled records notices that they went stale under it. */
  private long assignmentEpoch;

  /**
   * @param clickhouse for the schema migrations and the recovery of interrupted batches
   * @param writer where batches are inserted ({@link RowWriter#clickhouse} over the same client in production)
   */
  public SinkWorker(SinkConfig config, Client clickhouse, RowWriter writer, List<SinkTable<?>> sinkTables,
      SinkMetrics metrics) {
    this.config = config;
    this.clickhouse = clickhouse;
    this.writer = writer;
    this.metrics = metrics;
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryClientConfig.of(config.registryUrl()));
    for (SinkTable<?> t : sinkTables) {
      tables.put(t.topic(), t);
      deserializers.put(t.topic(), new AvroDeserializer<>(registry, t.type()));
    }
    Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, config.groupId(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000));
    props.putAll(GroupMembership.crashDetection());
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.deadLetters = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap(),
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        new ByteArraySerializer(), new ByteArraySerializer());
    metrics.bindConsumer(consumer);
  }

  @Override
  public void run() {
    consumer.subscribe(tables.keySet(), new Rebalance());
    long registryBackoffMs = 200;
    try {
      migrateWhenClickHouseAnswers();
      while (running.get()) {
        resolveRecoveries();
        try {
          ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(Math.min(200, config.maxWait().toMillis())));
          long epoch = assignmentEpoch;
          for (ConsumerRecord<byte[], byte[]> r : polled) {
            if (assignmentEpoch != epoch) { // a rebalance ran inside a flush's retries: the rest of this poll is stale
              reseekAll();
              break;
            }
            PartitionBatch b = batches.get(new TopicPartition(r.topic(), r.partition()));
            if (b == null || b.awaitingRecovery() || r.offset() < b.nextOffset()) {
              continue; // revoked meanwhile, or not yet known where its interrupted batch ends, or already read
            }
            if (b.recovering() && r.offset() > b.forcedEnd && !b.isEmpty()) {
              b = flush(b);
              if (assignmentEpoch != epoch) {
                reseekAll();
                break;
              }
            }
            b.add(decode(r));
            if (b.recovering() ? r.offset() >= b.forcedEnd
                : b.entries.size() >= config.maxRows() || b.bytes >= config.maxBytes()) {
              flush(b);
            }
          }
          registryBackoffMs = 200;
        } catch (RegistryUnavailableException | RegistryAuthException | RegistryRequestException e) {
          // the records are fine, the registry is not: read them again from each batch's start once it answers
          LOG.warn("event=registry_unavailable action=rewind_and_retry retry_in_ms={} error=\"{}\"", registryBackoffMs,
              Failures.rootMessage(e));
          rewindAll();
          waitInGroup(registryBackoffMs);
          registryBackoffMs = Math.min(registryBackoffMs * 2, config.maxBackoff().toMillis());
          continue;
        }
        long now = System.nanoTime();
        for (PartitionBatch b : List.copyOf(batches.values())) {
          if (!b.isEmpty() && !b.recovering() && now - b.firstAtNanos >= config.maxWait().toNanos()) {
            flush(b);
          }
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
      deadLetters.close(Duration.ofSeconds(10));
    }
  }

  /**
   * Brings the schema up to date before anything is inserted, in the group meanwhile (its partitions stay
   * paused until ClickHouse can say where their batches end). ClickHouse unreachable: retried with backoff,
   * so a sink started during an outage waits for it. ClickHouse refusing a migration: thrown (a deployment
   * fault: the process stops non-zero).
   */
  private void migrateWhenClickHouseAnswers() {
    long backoffMs = 200;
    while (running.get()) {
      try {
        List<Migration> applied = Migrator.migrate(clickhouse, config.schema());
        LOG.info("event=schema_ready database={} applied={}", config.schema().database(),
            applied.stream().map(m -> "V" + m.version()).toList());
        schemaReady = true;
        return;
      } catch (MigrationException e) {
        if (Failures.causedBy(e, ServerException.class)) {
          throw e;
        }
        LOG.warn("event=clickhouse_unavailable stage=migrate retry_in_ms={} error=\"{}\"", backoffMs, Failures.rootMessage(e));
        waitInGroup(backoffMs);
        backoffMs = Math.min(backoffMs * 2, config.maxBackoff().toMillis());
      }
    }
  }

  /** Whether the schema is migrated and rows can be written. */
  public boolean schemaReady() {
    return schemaReady;
  }

  /** Drops what was read but not committed and seeks every partition back to its batch's start. */
  private void rewindAll() {
    for (PartitionBatch b : List.copyOf(batches.values())) {
      consumer.seek(b.tp, b.start);
      PartitionBatch fresh = new PartitionBatch(b.tp, b.start, b.forcedEnd);
      fresh.retryRecoveryAtNanos = b.retryRecoveryAtNanos;
      batches.put(b.tp, fresh);
    }
  }

  /** Positions every partition right after what its batch holds, so records polled but not taken are read again. */
  private void reseekAll() {
    for (PartitionBatch b : batches.values()) {
      if (!b.awaitingRecovery()) {
        consumer.seek(b.tp, b.nextOffset());
      }
    }
  }

  private PartitionBatch.Entry decode(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return new PartitionBatch.Entry(r, null, "empty value (tombstone)");
    }
    try {
      SpecificRecord v = (SpecificRecord) deserializers.get(r.topic()).deserialize(r.topic(), r.value());
      String bad = check(tables.get(r.topic()), v);
      return new PartitionBatch.Entry(r, bad == null ? v : null, bad);
    } catch (PoisonRecordException e) {
      return new PartitionBatch.Entry(r, null, e.reason() + ": " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends SpecificRecord> String check(SinkTable<T> table, SpecificRecord v) {
    return table.encoder().check((T) v);
  }

  /**
   * Writes the batch's rows (splitting around rows ClickHouse refuses), then its dead letters (each
   * acknowledged), then commits it; returns the partition's next, empty batch.
   */
  private PartitionBatch flush(PartitionBatch b) {
    SinkTable<?> table = tables.get(b.tp.topic());
    long end = b.end();
    List<PartitionBatch.Entry> dead = new ArrayList<>();
    List<PartitionBatch.Entry> rows = new ArrayList<>();
    for (PartitionBatch.Entry e : b.entries) {
      (e.value() == null ? dead : rows).add(e);
    }
    if (!rows.isEmpty() && !insert(table, b, rows, b.token(), dead)) {
      return batches.get(b.tp); // taken away while ClickHouse was down: the new owner recovers the batch
    }
    if (!sendDeadLetters(dead, table, b)) {
      return batches.get(b.tp);
    }
    consumer.commitSync(Map.of(b.tp, new OffsetAndMetadata(end + 1)));
    metrics.batchCommitted(table.table(), dead.size());
    PartitionBatch next = new PartitionBatch(b.tp, end + 1, -1);
    batches.put(b.tp, next);
    return next;
  }

  @SuppressWarnings("unchecked")
  private <T extends SpecificRecord> byte[] encode(SinkTable<T> table, PartitionBatch b, List<PartitionBatch.Entry> rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(b.bytes * 2, 64 << 20));
    try (JsonGenerator j = json.createGenerator(out)) {
      for (PartitionBatch.Entry e : rows) {
        j.writeStartObject();
        table.encoder().write(j, (T) e.value());
        j.writeNumberField("kafka_partition", b.tp.partition());
        j.writeNumberField("kafka_offset", e.raw().offset());
        j.writeNumberField("kafka_batch_end", b.end());
        if (table.offsetColumn() != null) {
          j.writeNumberField(table.offsetColumn(), e.raw().offset());
        }
        j.writeEndObject();
        j.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Sends the dead letters and waits until the broker acknowledged every one: the batch is committed only
   * after. False if the partition was taken away while the broker was refusing them (nothing committed).
   */
  private boolean sendDeadLetters(List<PartitionBatch.Entry> dead, SinkTable<?> table, PartitionBatch b) {
    long backoffMs = 200;
    while (!dead.isEmpty()) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (PartitionBatch.Entry e : dead) {
        RecordHeaders headers = new RecordHeaders(e.raw().headers().toArray());
        byte[] value = DeadLetterHeaders.cut(e.raw().value(), headers);
        headers.add(DeadLetterHeaders.REASON, e.deadReason().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.SOURCE, (e.raw().topic() + "/" + e.raw().partition() + "/" + e.raw().offset())
            .getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.STAGE, ("sink:" + table.table()).getBytes(StandardCharsets.UTF_8));
        acks.add(deadLetters.send(new ProducerRecord<>(config.topics().deadLetters(), null, e.raw().key(), value, headers)));
      }
      try {
        for (Future<RecordMetadata> ack : acks) {
          ack.get(60, TimeUnit.SECONDS);
        }
        for (PartitionBatch.Entry e : dead) {
          LOG.warn("event=dead_letter stage=sink table={} source={}/{}/{} reason=\"{}\"", table.table(), e.raw().topic(),
              e.raw().partition(), e.raw().offset(), e.deadReason());
        }
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (ExecutionException | TimeoutException e) {
        LOG.warn("event=dead_letter_failed table={} count={} retry_in_ms={} error=\"{}\"", table.table(), dead.size(),
            backoffMs, Failures.rootMessage(e));
        waitInGroup(backoffMs);
        if (takenAway(b)) {
          return false;
        }
        backoffMs = Math.min(backoffMs * 2, config.maxBackoff().toMillis());
      }
    }
    return true;
  }

  /**
   * Inserts rows of a batch (all of it, or a part while splitting) under {@code token}. While ClickHouse is
   * unavailable it retries with backoff, consumption paused. When ClickHouse refuses the rows' values it
   * splits them in halves (each its own, deterministic token) down to the single rows it refuses, which go
   * to {@code refused} with the server's reason. The same rows always split the same way, so a batch rebuilt
   * after a crash reuses the same tokens and ClickHouse drops what it already has.
   *
   * @return false only if the partition was taken away meanwhile (nothing of it is committed then)
   */
  private boolean insert(SinkTable<?> table, PartitionBatch b, List<PartitionBatch.Entry> rows, String token,
      List<PartitionBatch.Entry> refused) {
    byte[] encoded = encode(table, b, rows);
    long backoffMs = 200;
    String refusal;
    for (int attempt = 1; ; attempt++) {
      long t0 = System.nanoTime();
      try {
        writer.insert(table.table(), encoded, token);
        metrics.inserted(table.table(), rows.size(), System.nanoTime() - t0);
        if (attempt > 1) {
          LOG.info("event=insert_recovered table={} token={} attempts={}", table.table(), token, attempt);
          consumer.resume(consumer.paused());
        }
        return true;
      } catch (Exception e) {
        Optional<String> r = Refusals.reason(e);
        if (r.isPresent()) {
          refusal = r.get();
          break;
        }
        metrics.insertFailed(table.table());
        LOG.warn("event=insert_failed table={} token={} rows={} attempt={} retry_in_ms={} error=\"{}\"", table.table(),
            token, rows.size(), attempt, backoffMs, Failures.rootMessage(e));
        consumer.pause(consumer.assignment());
        waitInGroup(backoffMs);
        if (takenAway(b) || !running.get()) {
          return false;
        }
        backoffMs = Math.min(backoffMs * 2, config.maxBackoff().toMillis());
      }
    }
    if (rows.size() == 1) {
      PartitionBatch.Entry e = rows.getFirst();
      refused.add(new PartitionBatch.Entry(e.raw(), null, refusal));
      metrics.rowRefused(table.table());
      return true;
    }
    LOG.info("event=insert_refused action=split table={} token={} rows={} reason=\"{}\"", table.table(), token, rows.size(),
        refusal);
    List<PartitionBatch.Entry> left = rows.subList(0, rows.size() / 2);
    List<PartitionBatch.Entry> right = rows.subList(rows.size() / 2, rows.size());
    return insert(table, b, left, b.token() + "/" + span(left), refused)
        && insert(table, b, right, b.token() + "/" + span(right), refused);
  }

  private static String span(List<PartitionBatch.Entry> rows) {
    return rows.getFirst().raw().offset() + "-" + rows.getLast().raw().offset();
  }

  /** A rebalance while we waited gave the partition away, or handed it back as a new batch: this one is void. */
  private boolean takenAway(PartitionBatch b) {
    return batches.get(b.tp) != b || !consumer.assignment().contains(b.tp);
  }

  /**
   * Waits, then polls once to stay in the group (consumption is paused). A rebalance may run in that poll
   * and hand us partitions that are not paused: whatever it returns is not dropped but read again, by
   * seeking each partition back to its first returned record.
   */
  private void waitInGroup(long ms) {
    sleep(ms);
    ConsumerRecords<byte[], byte[]> got = consumer.poll(Duration.ZERO);
    for (TopicPartition tp : got.partitions()) {
      consumer.seek(tp, got.records(tp).getFirst().offset());
    }
  }

  /** Partitions whose interrupted-batch query failed at assignment (ClickHouse down): try again, paused meanwhile. */
  private void resolveRecoveries() {
    for (PartitionBatch b : List.copyOf(batches.values())) {
      if (!b.awaitingRecovery() || System.nanoTime() < b.retryRecoveryAtNanos) {
        continue;
      }
      Optional<Long> end = interruptedBatchEnd(tables.get(b.tp.topic()), b.tp, b.start);
      if (end.isEmpty()) {
        b.retryRecoveryAtNanos = System.nanoTime() + config.maxBackoff().toNanos();
        continue;
      }
      batches.put(b.tp, recovered(b.tp, b.start, end.get()));
      consumer.seek(b.tp, b.start);
      consumer.resume(List.of(b.tp));
    }
  }

  private static PartitionBatch recovered(TopicPartition tp, long start, long forcedEnd) {
    if (forcedEnd >= 0) {
      LOG.info("event=recovering_batch topic={} partition={} start={} end={}", tp.topic(), tp.partition(), start, forcedEnd);
    }
    return new PartitionBatch(tp, start, forcedEnd);
  }

  /** When partitions arrive: start a batch at the committed offset, and rebuild an interrupted one if there is one. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      assignmentEpoch++;
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(java.util.Set.copyOf(assigned));
      for (TopicPartition tp : assigned) {
        OffsetAndMetadata c = committed.get(tp);
        long start = c != null ? c.offset() : consumer.position(tp);
        consumer.seek(tp, start);
        Optional<Long> end = interruptedBatchEnd(tables.get(tp.topic()), tp, start);
        if (end.isPresent()) {
          batches.put(tp, recovered(tp, start, end.get()));
        } else { // ClickHouse cannot say now: read nothing of it until it can (never block the rebalance)
          batches.put(tp, PartitionBatch.awaitingRecovery(tp, start));
          consumer.pause(List.of(tp));
        }
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      assignmentEpoch++;
      revoked.forEach(batches::remove); // nothing was committed for them: the next owner starts at the committed offset
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      onPartitionsRevoked(lost);
    }
  }

  /** The end of the batch whose rows are in ClickHouse past the committed offset (-1: none); empty if ClickHouse did not answer. */
  private Optional<Long> interruptedBatchEnd(SinkTable<?> table, TopicPartition tp, long start) {
    String sql = "SELECT count() AS n, max(kafka_batch_end) AS e FROM " + config.schema().database() + "." + table.table()
        + " WHERE kafka_partition = " + tp.partition() + " AND kafka_offset >= " + start;
    try {
      GenericRecord r = clickhouse.queryAll(sql).getFirst();
      return Optional.of(r.getLong("n") > 0 ? r.getLong("e") : -1L);
    } catch (RuntimeException e) {
      LOG.warn("event=recovery_query_failed table={} partition={} action=pause_partition error=\"{}\"", table.table(),
          tp.partition(), Failures.rootMessage(e));
      return Optional.empty();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops after the batch in progress; uncommitted records are read again by the next owner. */
  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }
}
