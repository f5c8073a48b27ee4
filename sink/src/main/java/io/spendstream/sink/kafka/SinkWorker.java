package io.spendstream.sink.kafka;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.spendstream.ops.Failures;
import io.spendstream.ops.GroupMembership;
import io.spendstream.schemas.DeadLetterHeaders;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroDeserializer;
import io.spendstream.schemas.serde.PoisonRecordException;
import io.spendstream.sink.SinkConfig;
import io.spendstream.sink.SinkMetrics;
import io.spendstream.sink.SinkTable;
import java.io.ByteArrayInputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 *   <li>records that cannot be read or cannot be rows go to the dead-letter topic (acknowledged) first;
 *   <li>the rows are inserted with {@code insert_deduplication_token = topic-partition-start-end}, each row
 *       carrying its offset and the batch's end; an insert that fails is retried with backoff, consumption
 *       paused, until ClickHouse accepts it — data is never skipped;
 *   <li>only then is end + 1 committed.
 * </ol>
 * A crash between 3 and 4 leaves rows in ClickHouse past the committed offset. When a partition is assigned,
 * the sink asks ClickHouse for rows at or after the committed offset; if there are, it rebuilds exactly that
 * batch (same range, same rows, same token), and ClickHouse drops the blocks it already has
 * (non_replicated/replicated_deduplication_window on every table, including the rollup behind the view).
 */
public final class SinkWorker implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);
  /** Test hook: halt the JVM right after the Nth successful insert, before its commit (a kill -9 at the worst moment). */
  public static final String CRASH_AFTER_INSERTS = "spendstream.sink.crashAfterInserts";

  private final SinkConfig config;
  private final Client clickhouse;
  private final SinkMetrics metrics;
  private final Map<String, SinkTable<?>> tables = new HashMap<>();
  private final Map<String, AvroDeserializer<?>> deserializers = new HashMap<>();
  private final Map<TopicPartition, PartitionBatch> batches = new HashMap<>();
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final JsonFactory json = new JsonFactory();
  private final long crashAfter = Long.getLong(CRASH_AFTER_INSERTS, -1);
  private long inserts;

  public SinkWorker(SinkConfig config, Client clickhouse, List<SinkTable<?>> sinkTables, SinkMetrics metrics) {
    this.config = config;
    this.clickhouse = clickhouse;
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
    try {
      while (running.get()) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(Math.min(200, config.maxWait().toMillis())))) {
          PartitionBatch b = batches.get(new TopicPartition(r.topic(), r.partition()));
          if (b == null) {
            continue; // revoked meanwhile
          }
          if (b.recovering() && r.offset() > b.forcedEnd && !b.isEmpty()) {
            b = flush(b);
          }
          b.add(decode(r));
          if (b.recovering() ? r.offset() >= b.forcedEnd
              : b.entries.size() >= config.maxRows() || b.bytes >= config.maxBytes()) {
            flush(b);
          }
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

  /** Writes the batch (dead letters, then rows), commits it, and returns the partition's next, empty batch. */
  private PartitionBatch flush(PartitionBatch b) {
    SinkTable<?> table = tables.get(b.tp.topic());
    long end = b.end();
    List<PartitionBatch.Entry> dead = new ArrayList<>();
    byte[] rows = encode(table, b, dead);
    sendDeadLetters(dead, table);
    int rowCount = b.entries.size() - dead.size();
    if (rowCount > 0 && !insertUntilAccepted(table, b, rows, rowCount)) {
      return batches.get(b.tp); // revoked while ClickHouse was down: the new owner recovers the batch
    }
    if (crashAfter > 0 && ++inserts >= crashAfter) {
      LOG.error("event=test_crash after_inserts={} token={}", inserts, b.token());
      Runtime.getRuntime().halt(137);
    }
    consumer.commitSync(Map.of(b.tp, new OffsetAndMetadata(end + 1)));
    metrics.batchCommitted(table.table(), dead.size());
    PartitionBatch next = new PartitionBatch(b.tp, end + 1, -1);
    batches.put(b.tp, next);
    return next;
  }

  @SuppressWarnings("unchecked")
  private <T extends SpecificRecord> byte[] encode(SinkTable<T> table, PartitionBatch b, List<PartitionBatch.Entry> dead) {
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(b.bytes * 2, 64 << 20));
    try (JsonGenerator j = json.createGenerator(out)) {
      for (PartitionBatch.Entry e : b.entries) {
        if (e.value() == null) {
          dead.add(e);
          continue;
        }
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

  private void sendDeadLetters(List<PartitionBatch.Entry> dead, SinkTable<?> table) {
    if (dead.isEmpty()) {
      return;
    }
    for (PartitionBatch.Entry e : dead) {
      ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(config.topics().deadLetters(), null, e.raw().key(), e.raw().value(),
          e.raw().headers());
      r.headers().add(DeadLetterHeaders.REASON, e.deadReason().getBytes(StandardCharsets.UTF_8));
      r.headers().add(DeadLetterHeaders.SOURCE, (e.raw().topic() + "/" + e.raw().partition() + "/" + e.raw().offset())
          .getBytes(StandardCharsets.UTF_8));
      r.headers().add(DeadLetterHeaders.STAGE, ("sink:" + table.table()).getBytes(StandardCharsets.UTF_8));
      deadLetters.send(r);
      LOG.warn("event=dead_letter stage=sink table={} source={}/{}/{} reason=\"{}\"", table.table(), e.raw().topic(),
          e.raw().partition(), e.raw().offset(), e.deadReason());
    }
    deadLetters.flush(); // acknowledged before the batch's offsets are committed
  }

  /** Retries until ClickHouse accepts the batch; false only if the partition was taken away meanwhile. */
  private boolean insertUntilAccepted(SinkTable<?> table, PartitionBatch b, byte[] rows, int rowCount) {
    long backoffMs = 200;
    for (int attempt = 1; ; attempt++) {
      long t0 = System.nanoTime();
      try {
        InsertSettings s = new InsertSettings().setDeduplicationToken(b.token());
        clickhouse.insert(config.schema().database() + "." + table.table(), new ByteArrayInputStream(rows),
            ClickHouseFormat.JSONEachRow, s).get(60, TimeUnit.SECONDS).close();
        metrics.inserted(table.table(), rowCount, System.nanoTime() - t0);
        if (attempt > 1) {
          LOG.info("event=insert_recovered table={} token={} attempts={}", table.table(), b.token(), attempt);
          consumer.resume(consumer.paused());
        }
        return true;
      } catch (Exception e) {
        metrics.insertFailed(table.table());
        LOG.warn("event=insert_failed table={} token={} rows={} attempt={} retry_in_ms={} error=\"{}\"", table.table(),
            b.token(), rowCount, attempt, backoffMs, Failures.rootMessage(e));
        consumer.pause(consumer.assignment());
        sleep(backoffMs);
        consumer.poll(Duration.ZERO); // stay in the group while paused
        if (!consumer.assignment().contains(b.tp) || !running.get()) {
          return false;
        }
        backoffMs = Math.min(backoffMs * 2, config.maxBackoff().toMillis());
      }
    }
  }

  /** When partitions arrive: start a batch at the committed offset, and rebuild an interrupted one if there is one. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(java.util.Set.copyOf(assigned));
      for (TopicPartition tp : assigned) {
        OffsetAndMetadata c = committed.get(tp);
        long start = c != null ? c.offset() : consumer.position(tp);
        long forcedEnd = interruptedBatchEnd(tables.get(tp.topic()), tp, start);
        if (forcedEnd >= 0) {
          LOG.info("event=recovering_batch topic={} partition={} start={} end={}", tp.topic(), tp.partition(), start, forcedEnd);
        }
        batches.put(tp, new PartitionBatch(tp, start, forcedEnd));
        consumer.seek(tp, start);
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
      revoked.forEach(batches::remove); // nothing was committed for them: the next owner starts at the committed offset
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
      onPartitionsRevoked(lost);
    }
  }

  private long interruptedBatchEnd(SinkTable<?> table, TopicPartition tp, long start) {
    String sql = "SELECT count() AS n, max(kafka_batch_end) AS e FROM " + config.schema().database() + "." + table.table()
        + " WHERE kafka_partition = " + tp.partition() + " AND kafka_offset >= " + start;
    long backoffMs = 200;
    while (true) {
      try {
        GenericRecord r = clickhouse.queryAll(sql).getFirst();
        return r.getLong("n") > 0 ? r.getLong("e") : -1;
      } catch (RuntimeException e) {
        LOG.warn("event=recovery_query_failed table={} partition={} retry_in_ms={} error=\"{}\"", table.table(), tp.partition(),
            backoffMs, Failures.rootMessage(e));
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, config.maxBackoff().toMillis());
      }
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
