package io.spendstream.infra.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.infra.process.PortInUseException;
import io.spendstream.infra.process.Ports;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(RealInfraExtension.class)
class KafkaBrokerIT {
  @TempDir Path dir;

  @Test
  void createsTopicsWithPartitionsAndRetentionAndCarriesRecords(KafkaEndpoint kafka) throws Exception {
    String topic = "it-" + UUID.randomUUID();
    assertThat(KafkaTopics.ensure(kafka.bootstrapServers(), List.of(new TopicSpec(topic, 4, Duration.ofDays(30)))))
        .containsExactly(topic);
    // idempotent: a second call creates nothing
    assertThat(KafkaTopics.ensure(kafka.bootstrapServers(), List.of(new TopicSpec(topic, 4, Duration.ofDays(30))))).isEmpty();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      assertThat(admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()).hasSize(4);
      ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      assertThat(admin.describeConfigs(List.of(r)).all().get().get(r).get(TopicConfig.RETENTION_MS_CONFIG).value())
          .isEqualTo(String.valueOf(Duration.ofDays(30).toMillis()));
    }
    assertThat(roundTrip(kafka.bootstrapServers(), topic, 1000)).hasSize(1000);
  }

  @Test
  void restartKeepsTheData() throws Exception {
    KafkaOptions o = KafkaOptions.of(Ports.ephemeral(), Ports.ephemeral(), dir.resolve("kafka"));
    String topic = "restart-" + UUID.randomUUID();
    try (KafkaBroker b = KafkaBroker.start(o, dir.resolve("kafka.log"))) {
      KafkaTopics.ensure(b.bootstrapServers(), List.of(new TopicSpec(topic, 1, Duration.ofDays(7))));
      produce(b.bootstrapServers(), topic, 10);
    }
    assertThat(KafkaBroker.answers(o.bootstrapServers())).isFalse();
    try (KafkaBroker b = KafkaBroker.start(o, dir.resolve("kafka.log"))) {
      assertThat(consumeAll(b.bootstrapServers(), topic, 10)).hasSize(10);
    }
  }

  @Test
  void takenPortIsAClearErrorNotAHang() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      KafkaOptions o = KafkaOptions.of(taken.getLocalPort(), Ports.ephemeral(), dir.resolve("k2"));
      assertThatThrownBy(() -> KafkaBroker.start(o, dir.resolve("k2.log"))).isInstanceOf(PortInUseException.class)
          .hasMessageContaining("Kafka broker").hasMessageContaining(String.valueOf(taken.getLocalPort()));
    }
  }

  private static List<String> roundTrip(String bootstrap, String topic, int n) {
    produce(bootstrap, topic, n);
    return consumeAll(bootstrap, topic, n);
  }

  private static void produce(String bootstrap, String topic, int n) {
    try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < n; i++) {
        p.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
      }
      p.flush();
    }
  }

  private static List<String> consumeAll(String bootstrap, String topic, int n) {
    List<String> out = new ArrayList<>();
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (out.size() < n && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
          out.add(r.value());
        }
      }
    }
    return out;
  }
}
