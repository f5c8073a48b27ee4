package io.spendstream.ingest.kafka;

import io.spendstream.schemas.CallKeys;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.ReportedUsage;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes calls to Kafka with acks=all and idempotence, keyed by {@link CallKeys} (tenant + prompt hash, else
 * event_id): retries of a call and a retry storm meet on one partition, and load still spreads when one tenant
 * dominates. {@link #publishAll} returns only when Kafka acknowledged every call.
 *
 * <p>It also sends a tick to every partition each second ({@link Topics#TICK_HEADER}): the processor closes a
 * window only when every partition's event time has passed it, and a partition without traffic would otherwise
 * hold every tenant's windows open. A tick carries the newest event time this gateway has had acknowledged, not the
 * wall clock: idle partitions follow the traffic's event time, so a backfill of week-old calls (with no live traffic)
 * is windowed in order instead of being "too late" against the wall clock.
 *
 * <p>Usage an emitter reported itself ({@link ReportedUsage}, Claude Code's metrics) goes to its own topic, keyed
 * {@code tenant|session}, through the same producer.
 */
public final class CallPublisher implements AutoCloseable {
  private final KafkaProducer<String, SpecificRecord> producer;
  private final String usageTopic;
  private static final Logger LOG = LoggerFactory.getLogger(CallPublisher.class);
  private final String topic;
  private final AtomicLong frontier = new AtomicLong(Long.MIN_VALUE);
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "gateway-ticks");
    t.setDaemon(true);
    return t;
  });

  public CallPublisher(String bootstrap, String registryUrl, String topic, String usageTopic, Duration produceTimeout) {
    this.topic = topic;
    this.usageTopic = usageTopic;
    long timeoutMs = produceTimeout.toMillis();
    Map<String, Object> cfg = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 5,
        ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
        // a request must not hang on a dead broker: fail metadata waits fast, bound delivery by the timeout
        ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeoutMs, 3000),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeoutMs / 2),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(timeoutMs, timeoutMs / 2 + 5 + 1000),
        ProducerConfig.CLIENT_ID_CONFIG, "spendstream-gateway");
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryClientConfig.of(registryUrl)
        .withRetries(1, Duration.ofMillis(100), Duration.ofMillis(500)));
    // one producer for both topics: the serializer takes each record's own schema
    this.producer = new KafkaProducer<>(cfg, new StringSerializer(), new AvroSerializer<>(registry, false, true));
  }

  /** Sends every call and waits for all acknowledgements until {@code timeout}. */
  public void publishAll(List<LlmCall> calls, Duration timeout) throws PublishFailedException {
    sendAll(producer, calls, c -> new ProducerRecord<>(topic, CallKeys.of(c), c),
        c -> frontier.accumulateAndGet(c.getTimestamp().toEpochMilli(), Math::max), timeout);
  }

  /** Sends every reported usage point (key tenant|session) and waits for all acknowledgements until {@code timeout}. */
  public void publishUsage(List<ReportedUsage> points, Duration timeout) throws PublishFailedException {
    sendAll(producer, points, u -> new ProducerRecord<>(usageTopic, u.getTenantId() + "|" + u.getSessionId(), u),
        u -> { }, timeout);
  }

  private static <T extends SpecificRecord> void sendAll(KafkaProducer<String, SpecificRecord> producer, List<T> records,
      java.util.function.Function<T, ProducerRecord<String, SpecificRecord>> record, java.util.function.Consumer<T> onAck,
      Duration timeout) throws PublishFailedException {
    List<CompletableFuture<?>> acks = new ArrayList<>(records.size());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (T c : records) {
        // one failed send (a missing topic, a dead broker) fails the request now: each further send would block
        // up to max.block.ms, 10,000 events turning one timeout into hours
        for (CompletableFuture<?> done : acks.isEmpty() ? List.<CompletableFuture<?>>of() : List.of(acks.getLast())) {
          if (done.isCompletedExceptionally()) {
            done.get();
          }
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException();
        }
        CompletableFuture<Object> ack = new CompletableFuture<>();
        producer.send(record.apply(c), (meta, err) -> {
          if (err == null) {
            onAck.accept(c);
            ack.complete(meta);
          } else {
            ack.completeExceptionally(err);
          }
        });
        acks.add(ack);
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new PublishFailedException("Kafka did not acknowledge: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new PublishFailedException("Kafka did not acknowledge within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PublishFailedException("interrupted while waiting for Kafka", e);
    } catch (RuntimeException e) {
      // serializer (registry) and metadata failures surface synchronously from send()
      throw new PublishFailedException("cannot write to Kafka: " + e.getMessage(), e);
    }
  }

  /**
   * Starts the ticks: every {@code every}, one record per partition without value, with the tick header and the
   * newest acknowledged event time as its timestamp (none before the first call).
   */
  public void startTicks(Duration every) {
    ticker.scheduleWithFixedDelay(() -> {
      try {
        long now = frontier.get();
        if (now == Long.MIN_VALUE) {
          return;
        }
        Headers tick = new RecordHeaders().add(Topics.TICK_HEADER, new byte[0]);
        for (PartitionInfo p : producer.partitionsFor(topic)) {
          producer.send(new ProducerRecord<>(topic, p.partition(), now, null, null, tick));
        }
      } catch (RuntimeException e) { // Kafka away: the next tick tries again; calls have their own error path
        LOG.debug("component=gateway event=tick_failed detail=\"{}\"", e.getMessage());
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits for records already sent to be acknowledged (graceful shutdown), then closes. */
  @Override
  public void close() {
    ticker.shutdownNow();
    producer.close(Duration.ofSeconds(30));
  }
}
