package io.spendstream.stream;

import io.spendstream.schemas.CallKeys;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroDeserializer;
import io.spendstream.schemas.serde.AvroSerializer;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producing calls the way the gateway does, and reading topics as a read_committed consumer. */
public final class KafkaIo implements AutoCloseable {
  public final String bootstrap;
  public final SchemaRegistryClient registry;
  public final ProcessorTopics topics;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroSerializer<LlmCall> calls;

  public KafkaIo(String bootstrap, String registryUrl, ProcessorTopics topics, int partitions) {
    this.bootstrap = bootstrap;
    this.registry = new SchemaRegistryClient(RegistryClientConfig.of(registryUrl));
    this.topics = topics;
    KafkaTopics.ensure(bootstrap, List.of(new TopicSpec(topics.calls(), partitions, Duration.ofDays(3650)),
        new TopicSpec(topics.priced(), partitions, Duration.ofDays(3650)),
        new TopicSpec(topics.windows(), partitions, Duration.ofDays(3650)),
        new TopicSpec(topics.alerts(), partitions, Duration.ofDays(3650)),
        new TopicSpec(topics.callsDlq(), 1, Duration.ofDays(3650))));
    this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    this.calls = new AvroSerializer<>(registry, false, true);
  }

  /** Keyed as the gateway keys calls (tenant + prompt hash, else event_id). */
  public void send(LlmCall c) {
    sendRaw(CallKeys.bytes(c), calls.serialize(topics.calls(), c));
  }

  /** Keyed by event_id, as a direct producer unaware of the key contract might: the processor re-keys it. */
  public void sendByEventId(LlmCall c) {
    sendRaw(c.getEventId().getBytes(StandardCharsets.UTF_8), calls.serialize(topics.calls(), c));
  }

  public void sendRaw(byte[] key, byte[] value) {
    pending.add(new Sent(key, value, producer.send(new ProducerRecord<>(topics.calls(), key, value))));
  }

  /**
   * Waits until the broker acknowledged every send; a send that failed (the test broker has stalled for minutes, so
   * sends expired) is sent again, up to 3 times, rather than silently missing from the input.
   */
  public void flush() {
    producer.flush();
    for (Sent s : pending) {
      java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> ack = s.ack();
      for (int attempt = 1; ; attempt++) {
        try {
          ack.get();
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          if (attempt == 3) {
            throw new IllegalStateException("a send to " + topics.calls() + " failed 3 times", e.getCause());
          }
          ack = producer.send(new ProducerRecord<>(topics.calls(), s.key(), s.value()));
          producer.flush();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    pending.clear();
  }

  private record Sent(byte[] key, byte[] value,
      java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> ack) {}

  private final java.util.List<Sent> pending = new java.util.ArrayList<>();

  /** Reads a topic from the start (committed records only) until {@code done} holds or the timeout passes. */
  public <T extends SpecificRecord> List<ConsumerRecord<byte[], T>> read(String topic, Class<T> type,
      Predicate<List<ConsumerRecord<byte[], T>>> done, Duration timeout) {
    AvroDeserializer<T> de = new AvroDeserializer<>(registry, type);
    List<ConsumerRecord<byte[], T>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], T> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), de)) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && !done.test(out)) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  public List<ConsumerRecord<byte[], byte[]>> readRaw(String topic, int atLeast, Duration timeout) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline && out.size() < atLeast) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  @Override
  public void close() {
    producer.close();
  }
}
