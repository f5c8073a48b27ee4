package io.spendstream.alerting;

import io.spendstream.alerting.config.DestinationConfig;
import io.spendstream.alerting.deliver.Cooldown;
import io.spendstream.alerting.deliver.Destination;
import io.spendstream.alerting.deliver.DestinationWorker;
import io.spendstream.alerting.kafka.AlertConsumer;
import io.spendstream.alerting.kafka.KafkaSentLog;
import io.spendstream.alerting.kafka.Parking;
import io.spendstream.alerting.route.Router;
import io.spendstream.ops.OpsServer;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The delivery service: consumer, one worker per destination, the parking producer; health and metrics over HTTP. */
public final class Alerting implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Alerting.class);
  private final AlertConsumer consumer;
  private final Thread thread;
  private final Map<String, DestinationWorker> workers;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaSentLog sentLog;
  private final AlertingMetrics metrics;
  private final OpsServer ops;
  private volatile boolean stopping;

  private Alerting(AlertConsumer consumer, Thread thread, Map<String, DestinationWorker> workers,
      KafkaProducer<byte[], byte[]> producer, KafkaSentLog sentLog, AlertingMetrics metrics, OpsServer ops) {
    this.sentLog = sentLog;
    this.consumer = consumer;
    this.thread = thread;
    this.workers = workers;
    this.producer = producer;
    this.metrics = metrics;
    this.ops = ops;
  }

  public static Alerting start(AlertingSettings s) {
    AlertingMetrics metrics = new AlertingMetrics();
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap(),
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new ByteArraySerializer(),
        new ByteArraySerializer());
    Parking parking = new Parking(producer, s.deadLetterTopic());
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    // cooldowns live in a compacted topic: a restart or a second instance knows what was sent
    KafkaSentLog sentLog = KafkaSentLog.start(s.bootstrap(), s.cooldownTopic(), producer);
    Map<String, DestinationWorker> workers = new LinkedHashMap<>();
    for (DestinationConfig d : s.config().destinations().values()) {
      Cooldown cooldown = new Cooldown(d.cooldown(), sentLog, s.groupId() + "|" + d.name());
      workers.put(d.name(), new DestinationWorker(d, Destination.of(d, http, Clock.systemUTC()), cooldown, parking, metrics));
    }
    AlertConsumer consumer = new AlertConsumer(s, new Router(s.config()), workers, parking, metrics,
        () -> sentLog.awaitCaughtUp(Duration.ofSeconds(30)));
    Thread t = Thread.ofPlatform().name("alert-consumer").start(consumer);
    OpsServer ops = OpsServer.start(s.host(), s.httpPort(), t::isAlive, t::isAlive, () -> t.isAlive() ? "RUNNING" : "STOPPED",
        metrics.registry::scrape);
    LOG.info("event=started group={} topic={} dead_letters={} destinations={} routes={} default={} http_port={}", s.groupId(),
        s.alertsTopic(), s.deadLetterTopic(), s.config().destinations().values(), s.config().routes().size(),
        s.config().defaultRoute(), ops.port());
    return new Alerting(consumer, t, workers, producer, sentLog, metrics, ops);
  }

  public int port() {
    return ops.port();
  }

  public AlertingMetrics metrics() {
    return metrics;
  }

  /** Waits for the consumer to end (only on close or an error); false if it died on an error. */
  public boolean awaitStop() throws InterruptedException {
    thread.join();
    return stopping;
  }

  /** Workers first (the delivery in progress ends, the rest stays uncommitted), then the consumer commits what finished. */
  @Override
  public void close() {
    stopping = true;
    workers.values().forEach(DestinationWorker::close);
    consumer.close();
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sentLog.close();
    producer.close(Duration.ofSeconds(5));
    ops.close();
    metrics.close();
    LOG.info("event=stopped");
  }
}
