package io.spendstream.stream.errors;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Dead letters that the exception handlers send (Kafka Streams 4.1 gives its handlers no producer): its
 * own idempotent producer, each send confirmed before the handler lets processing go on. Outside the
 * stream's transaction, so a record retried after a crash may be dead-lettered twice, never lost.
 */
public final class KafkaDeadLetterWriter implements DeadLetterWriter, AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;

  public KafkaDeadLetterWriter(String bootstrap) {
    this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.CLIENT_ID_CONFIG, "spendstream-processor-dead-letters"),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public void write(ProducerRecord<byte[], byte[]> deadLetter) {
    try {
      producer.send(deadLetter).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while writing a dead letter", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("dead letter not stored: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
