package io.spendstream.alerting.kafka;

import io.spendstream.schemas.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Parks an alert on the alert dead-letter topic: the original record bytes and key (the alert group), and headers
 * saying why, from where, for which destination and after how many attempts. Returns only once Kafka
 * acknowledged, so that the alert's offset may then be committed.
 */
public final class Parking {
  public static final String DESTINATION = "spendstream.dlq.destination";
  public static final String ATTEMPTS = "spendstream.dlq.attempts";
  public static final String STAGE = "alerting";

  private final Producer<byte[], byte[]> producer;
  private final String topic;

  public Parking(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }

  /** Throws when Kafka did not take it within 30 s (the caller keeps the alert in flight and tries again). */
  public void park(byte[] key, byte[] value, String source, String destination, String reason, int attempts)
      throws ExecutionException, InterruptedException, TimeoutException {
    ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key, value);
    r.headers().add(DeadLetterHeaders.REASON, bytes(reason));
    r.headers().add(DeadLetterHeaders.SOURCE, bytes(source));
    r.headers().add(DeadLetterHeaders.STAGE, bytes(STAGE));
    if (destination != null) {
      r.headers().add(DESTINATION, bytes(destination));
      r.headers().add(ATTEMPTS, bytes(Integer.toString(attempts)));
    }
    producer.send(r).get(30, TimeUnit.SECONDS);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
