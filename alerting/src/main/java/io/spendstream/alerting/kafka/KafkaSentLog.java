package io.spendstream.alerting.kafka;

import io.spendstream.alerting.deliver.SentLog;
import io.spendstream.ops.Failures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cooldowns' memory in a compacted topic (key: scope and group, value: the last alert sent and its event
 * time), so a restarted instance and every other instance know what was sent. Each instance reads the whole
 * topic at start and follows it; a send is written and acknowledged before the alert's offset is committed,
 * and an instance given partitions waits until it has read everything written before
 * ({@link #awaitCaughtUp}), so the previous owner's last notification still silences its repeats.
 */
public final class KafkaSentLog implements SentLog, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSentLog.class);
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> follower;
  private final Admin admin;
  private final List<TopicPartition> partitions;
  private final Map<String, Sent> last = new ConcurrentHashMap<>();
  private final Map<TopicPartition, Long> readUpTo = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  private KafkaSentLog(String topic, KafkaProducer<byte[], byte[]> producer, KafkaConsumer<byte[], byte[]> follower, Admin admin,
      List<TopicPartition> partitions) {
    this.topic = topic;
    this.producer = producer;
    this.follower = follower;
    this.admin = admin;
    this.partitions = partitions;
    this.thread = Thread.ofPlatform().name("cooldown-log").daemon().start(this::follow);
  }

  /** Creates the compacted topic if it is missing, reads it to the end, then follows it. */
  public static KafkaSentLog start(String bootstrap, String topic, KafkaProducer<byte[], byte[]> producer) {
    Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    try {
      admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())
          .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)))).all().get(30, TimeUnit.SECONDS);
      LOG.info("event=topic_created topic={} cleanup_policy=compact", topic);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        admin.close();
        throw new KafkaException("cannot create the cooldown topic " + topic + ": " + Failures.rootMessage(e), e);
      }
    } catch (InterruptedException | TimeoutException e) {
      admin.close();
      throw new KafkaException("cannot create the cooldown topic " + topic + ": " + Failures.rootMessage(e), e);
    }
    KafkaConsumer<byte[], byte[]> follower = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = follower.partitionsFor(topic).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    follower.assign(partitions);
    follower.seekToBeginning(partitions);
    KafkaSentLog log = new KafkaSentLog(topic, producer, follower, admin, partitions);
    log.awaitCaughtUp(Duration.ofSeconds(60));
    LOG.info("event=cooldowns_loaded topic={} groups={}", topic, log.last.size());
    return log;
  }

  private void follow() {
    try {
      while (running.get()) {
        var records = follower.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> r : records) {
          apply(r.key(), r.value());
        }
        for (TopicPartition tp : follower.assignment()) {
          readUpTo.put(tp, follower.position(tp));
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("event=cooldown_log_failed topic={} error=\"{}\"", topic, Failures.rootMessage(e), e);
    } finally {
      follower.close(Duration.ofSeconds(5));
    }
  }

  private void apply(byte[] key, byte[] value) {
    if (key == null) {
      return;
    }
    String k = new String(key, StandardCharsets.UTF_8);
    if (value == null) {
      last.remove(k);
      return;
    }
    String v = new String(value, StandardCharsets.UTF_8);
    int space = v.indexOf(' ');
    try {
      Sent s = new Sent(v.substring(space + 1), Long.parseLong(v.substring(0, space)));
      last.merge(k, s, (old, now) -> now.detectedAtMs() >= old.detectedAtMs() ? now : old);
    } catch (RuntimeException e) {
      LOG.warn("event=cooldown_record_ignored topic={} key={} reason=\"not '<millis> <alert id>'\"", topic, k);
    }
  }

  @Override
  public Optional<Sent> last(String key) {
    return Optional.ofNullable(last.get(key));
  }

  @Override
  public void record(String key, Sent sent) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] v = (sent.detectedAtMs() + " " + sent.alertId()).getBytes(StandardCharsets.UTF_8);
    last.merge(key, sent, (old, now) -> now.detectedAtMs() >= old.detectedAtMs() ? now : old);
    try {
      producer.send(new ProducerRecord<>(topic, k, v)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while recording a cooldown", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("cooldown not recorded in " + topic + ": " + Failures.rootMessage(e), e);
    }
  }

  /** Waits until everything written to the topic before this call has been read (or the timeout passed). */
  public boolean awaitCaughtUp(Duration timeout) {
    Map<TopicPartition, Long> ends = new java.util.HashMap<>();
    try {
      Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
      partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
      admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(30, TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp, info.offset()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("event=cooldown_log_end_unknown topic={} error=\"{}\"", topic, Failures.rootMessage(e));
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (ends.entrySet().stream().allMatch(e -> readUpTo.getOrDefault(e.getKey(), -1L) >= e.getValue())) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    LOG.warn("event=cooldown_log_behind topic={} waited_ms={}", topic, timeout.toMillis());
    return false;
  }

  @Override
  public void close() {
    running.set(false);
    follower.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
  }
}
