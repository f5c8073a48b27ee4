package io.spendstream.alerting.tail;

import io.spendstream.alerting.AlertText;
import io.spendstream.ops.Failures;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.json.AvroJson;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroDeserializer;
import io.spendstream.schemas.serde.PoisonRecordException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints alerts as they arrive: every partition of the topic, from its end (or beginning), read_committed,
 * without a consumer group (nothing is committed; any number of people can tail at once).
 */
public final class AlertTail {
  private final String bootstrap;
  private final String registryUrl;
  private final String topic;

  public AlertTail(String bootstrap, String registryUrl, String topic) {
    this.bootstrap = bootstrap;
    this.registryUrl = registryUrl;
    this.topic = topic;
  }

  /** Prints each alert as a line (or its JSON form); see {@link #run(AlertFilter, boolean, long, Consumer, Consumer, BooleanSupplier)}. */
  public long print(AlertFilter filter, boolean fromBeginning, boolean json, long max, PrintWriter out, PrintWriter status,
      BooleanSupplier stop) {
    return run(filter, fromBeginning, max, a -> out.println(json ? AvroJson.toJson(a).toString() : AlertText.line(a)),
        note -> out.println("# " + note), status::println, stop);
  }

  /**
   * Hands every alert that passes the filter to {@code onAlert} (and unreadable records, described, to
   * {@code onUnreadable}) until {@code stop} says so or {@code max} alerts were handed over (0 = no limit);
   * returns how many were. {@code onFollowing} hears once where it reads, when the partitions are assigned.
   */
  public long run(AlertFilter filter, boolean fromBeginning, long max, Consumer<Alert> onAlert, Consumer<String> onUnreadable,
      Consumer<String> onFollowing, BooleanSupplier stop) {
    AvroDeserializer<Alert> alerts = new AvroDeserializer<>(new SchemaRegistryClient(RegistryClientConfig.of(registryUrl)), Alert.class);
    long printed = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.CLIENT_ID_CONFIG, "spendstream-alerts-tail"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var infos = c.partitionsFor(topic, Duration.ofSeconds(15));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic " + topic + " does not exist on " + bootstrap);
      }
      List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(parts);
      if (fromBeginning) {
        c.seekToBeginning(parts);
      } else {
        c.seekToEnd(parts);
      }
      onFollowing.accept("following %s on %s (%d partitions) from the %s".formatted(topic, bootstrap, parts.size(),
          fromBeginning ? "beginning" : "end"));
      while (!stop.getAsBoolean() && (max == 0 || printed < max)) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          Alert a;
          try {
            a = alerts.deserialize(r.topic(), r.value());
          } catch (PoisonRecordException e) {
            onUnreadable.accept("unreadable record %s/%d/%d: %s".formatted(r.topic(), r.partition(), r.offset(), e.reason()));
            continue;
          } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read alerts: " + Failures.rootMessage(e), e);
          }
          if (filter.test(a)) {
            onAlert.accept(a);
            printed++;
            if (max > 0 && printed >= max) {
              break;
            }
          }
        }
      }
    }
    return printed;
  }
}
