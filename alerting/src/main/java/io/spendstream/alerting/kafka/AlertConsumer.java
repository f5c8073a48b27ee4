package io.spendstream.alerting.kafka;

import io.spendstream.alerting.AlertingMetrics;
import io.spendstream.alerting.AlertingSettings;
import io.spendstream.alerting.deliver.Delivery;
import io.spendstream.alerting.deliver.DestinationWorker;
import io.spendstream.alerting.route.Router;
import io.spendstream.ops.Failures;
import io.spendstream.ops.GroupMembership;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroDeserializer;
import io.spendstream.schemas.serde.PoisonRecordException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads alerts.v1 and hands each alert to the workers of the destinations its route names. The commit contract:
 * an alert's offset is committed only after every one of its destinations finished with it — delivered,
 * suppressed by the cooldown, or parked on the dead-letter topic (acknowledged) — and never past an alert that
 * is still in flight. A crash therefore redelivers at most the alerts that were in flight; receivers dedupe
 * them by the idempotency key. Unreadable records are parked with the reason. Too many alerts in flight (a
 * destination far behind) pauses consumption rather than buffering without bound.
 */
public final class AlertConsumer implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlertConsumer.class);
  private final AlertingSettings settings;
  private final Router router;
  private final Map<String, DestinationWorker> workers;
  private final Parking parking;
  private final AlertingMetrics metrics;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<Alert> deserializer;
  private final OffsetTracker offsets = new OffsetTracker();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Runnable catchUp;

  /**
   * @param catchUp run when partitions are assigned, before their alerts are taken: lets the cooldowns read what
   *     the partitions' previous owner sent
   */
  public AlertConsumer(AlertingSettings settings, Router router, Map<String, DestinationWorker> workers, Parking parking,
      AlertingMetrics metrics, Runnable catchUp) {
    this.catchUp = catchUp;
    this.settings = settings;
    this.router = router;
    this.workers = workers;
    this.parking = parking;
    this.metrics = metrics;
    this.deserializer = new AvroDeserializer<>(new SchemaRegistryClient(RegistryClientConfig.of(settings.registryUrl())), Alert.class);
    Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, settings.groupId(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500));
    props.putAll(GroupMembership.crashDetection());
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    metrics.bind(consumer, offsets::inFlight);
  }

  @Override
  public void run() {
    consumer.subscribe(List.of(settings.alertsTopic()), new Rebalance());
    try {
      while (running.get()) {
        Set<TopicPartition> retryLater = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (!retryLater.contains(tp) && !take(tp, r)) {
            retryLater.add(tp);
            consumer.seek(tp, r.offset());
          }
        }
        commit();
        throttle();
        if (!retryLater.isEmpty()) {
          Thread.sleep(1000);
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        commit();
      } finally {
        consumer.close(java.time.Duration.ofSeconds(5));
      }
    }
  }

  /** False when the record cannot be handled now (registry unreachable): the partition is retried from it. */
  private boolean take(TopicPartition tp, ConsumerRecord<byte[], byte[]> r) throws InterruptedException {
    String source = r.topic() + "/" + r.partition() + "/" + r.offset();
    Alert alert;
    try {
      alert = deserializer.deserialize(r.topic(), r.value());
    } catch (PoisonRecordException e) {
      metrics.unreadable();
      LOG.warn("event=unreadable_alert source={} reason=\"{}\" (parked on {})", source, e.reason(), parking.topic());
      try {
        parking.park(r.key() == null ? new byte[0] : r.key(), r.value(), source, null, e.reason(), 0);
      } catch (Exception pe) {
        if (pe instanceof InterruptedException ie) {
          throw ie;
        }
        LOG.error("event=park_failed source={} cause=\"{}\" (will retry)", source, Failures.rootMessage(pe));
        return false;
      }
      offsets.taken(tp, r.offset());
      offsets.finished(tp, r.offset());
      return true;
    } catch (RuntimeException e) {
      LOG.warn("event=alert_decode_retry source={} cause=\"{}\"", source, Failures.rootMessage(e));
      return false;
    }
    List<String> destinations = router.destinationsFor(alert);
    offsets.taken(tp, r.offset());
    AtomicInteger left = new AtomicInteger(destinations.size());
    Runnable finished = () -> {
      if (left.decrementAndGet() == 0) {
        offsets.finished(tp, r.offset());
      }
    };
    for (String d : destinations) {
      workers.get(d).submit(new Delivery(alert, r.key(), r.value(), source, finished));
    }
    return true;
  }

  private void commit() {
    Map<TopicPartition, Long> positions = offsets.committable();
    if (positions.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    positions.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
    try {
      consumer.commitSync(commit);
      offsets.markCommitted(positions);
    } catch (RuntimeException e) {
      LOG.warn("event=commit_failed cause=\"{}\" (retried on the next loop)", Failures.rootMessage(e));
    }
  }

  private void throttle() {
    boolean full = offsets.inFlight() >= settings.maxInFlight();
    if (full && consumer.paused().isEmpty()) {
      LOG.warn("event=paused in_flight={} (a destination is far behind)", offsets.inFlight());
      consumer.pause(consumer.assignment());
    } else if (!full && !consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      commit();
      partitions.forEach(offsets::forget);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      LOG.info("event=assigned partitions={}", partitions);
      if (!partitions.isEmpty()) {
        catchUp.run();
      }
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }
}
