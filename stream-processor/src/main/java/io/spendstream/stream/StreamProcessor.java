package io.spendstream.stream;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spendstream.ops.Failures;
import io.spendstream.ops.GroupMembership;
import io.spendstream.ops.OpsServer;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.RegistryUnavailableException;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.stream.errors.DeadLetterRoute;
import io.spendstream.stream.errors.KafkaDeadLetterWriter;
import io.spendstream.stream.kafka.InputPartitions;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.kafka.TopicSerdes;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link SpendTopology} on Kafka with RocksDB state, plus a small HTTP server: {@code /healthz} (the
 * instance is alive), {@code /readyz} (RUNNING), {@code /metrics} (Prometheus: our counters, Kafka
 * Streams' own metrics such as dropped-records, JVM memory and GC).
 *
 * <p>Failure policy: an unreachable schema registry replaces the stream thread (its records are retried
 * from the last commit, never skipped); any other uncaught error stops the instance, and {@link #awaitStop}
 * returns false so the command exits non-zero and a supervisor restarts it.
 */
public final class StreamProcessor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamProcessor.class);
  private final KafkaStreams streams;
  private OpsServer http;
  private final PrometheusMeterRegistry meters;
  private final KafkaStreamsMetrics streamsMetrics;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean failed;

  private final KafkaDeadLetterWriter deadLetters;

  private StreamProcessor(KafkaStreams streams, PrometheusMeterRegistry meters, KafkaStreamsMetrics sm,
      KafkaDeadLetterWriter deadLetters) {
    this.streams = streams;
    this.deadLetters = deadLetters;
    this.meters = meters;
    this.streamsMetrics = sm;
  }

  public static Properties streamsProperties(ProcessorSettings s) {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, s.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrap());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, s.guarantee());
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, s.threads());
    p.put(StreamsConfig.STATE_DIR_CONFIG, s.stateDir().toAbsolutePath().toString());
    p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, s.commitInterval().toMillis());
    p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, s.replicationFactor());
    p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    // start at the beginning of the input the first time an application id runs: no call is left unpriced
    p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    GroupMembership.crashDetection().forEach((k, v) -> p.put(StreamsConfig.mainConsumerPrefix(k), v));
    p.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    return p;
  }

  public static StreamProcessor start(ProcessorSettings s) {
    SchemaRegistryClient registry = new SchemaRegistryClient(RegistryClientConfig.of(s.registryUrl()));
    ProcessorMetrics metrics = new ProcessorMetrics();
    int shards = InputPartitions.prepare(s.bootstrap(), s.topics(), s.replicationFactor());
    Topology topology = SpendTopology.build(s.topics(), TopicSerdes.registry(registry), new Pricer(s.catalog()), s.config(),
        StoreKind.PERSISTENT, metrics, shards);
    // a record no stage can process is dead-lettered with its reason and processing goes on (never a crash loop)
    KafkaDeadLetterWriter deadLetters = new KafkaDeadLetterWriter(s.bootstrap());
    Properties props = new DeadLetterRoute(s.topics().callsDlq(), deadLetters, metrics.deadLettered)
        .install(streamsProperties(s));
    KafkaStreams streams = new KafkaStreams(topology, props);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics.bindTo(meters, s.config().windows().sizes());
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    KafkaStreamsMetrics sm = new KafkaStreamsMetrics(streams);
    sm.bindTo(meters);
    StreamProcessor p = new StreamProcessor(streams, meters, sm, deadLetters);
    streams.setUncaughtExceptionHandler(e -> {
      if (Failures.causedBy(e, RegistryUnavailableException.class)) {
        LOG.error("event=registry_unavailable action=replace_thread detail=\"{}\"", e.getMessage());
        sleepQuietly(Duration.ofSeconds(2));
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
      LOG.error("event=stream_thread_failed action=shutdown_client", e);
      p.failed = true;
      return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((now, before) -> {
      LOG.info("event=state_change from={} to={}", before, now);
      if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
        p.stopped.countDown();
      }
    });
    p.http = OpsServer.start(s.host(), s.httpPort(), p::alive, () -> streams.state() == KafkaStreams.State.RUNNING,
        () -> streams.state().name(), meters::scrape);
    streams.start();
    LOG.info("event=started application_id={} guarantee={} threads={} input={} shards={} http_port={}", s.applicationId(),
        s.guarantee(), s.threads(), s.topics().calls(), shards, p.port());
    return p;
  }

  private boolean alive() {
    KafkaStreams.State st = streams.state();
    return st != KafkaStreams.State.ERROR && st != KafkaStreams.State.NOT_RUNNING
        && st != KafkaStreams.State.PENDING_ERROR;
  }

  public int port() {
    return http.port();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /** Waits until the instance stopped; false when it stopped because of an error. */
  public boolean awaitStop() throws InterruptedException {
    stopped.await();
    return !failed && streams.state() != KafkaStreams.State.ERROR;
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops processing (commits what was processed), then the HTTP server. */
  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
    streamsMetrics.close();
    deadLetters.close();
    http.close();
    meters.close();
    stopped.countDown();
    LOG.info("event=stopped");
  }
}
