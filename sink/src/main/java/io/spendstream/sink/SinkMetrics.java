package io.spendstream.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The sink's Prometheus metrics: rows and batches landed, insert failures (ClickHouse down or refusing),
 * dead letters, insert latency, and the consumer's own metrics (records-lag-max is the lag to watch).
 */
public final class SinkMetrics implements AutoCloseable {
  public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong lastInsertFailed = new AtomicLong();
  private KafkaClientMetrics consumerMetrics;

  public SinkMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    registry.gauge("spendstream_sink_failing", lastInsertFailed);
  }

  public void bindConsumer(Consumer<?, ?> consumer) {
    consumerMetrics = new KafkaClientMetrics(consumer);
    consumerMetrics.bindTo(registry);
  }

  public void inserted(String table, int rows, long nanos) {
    Counter.builder("spendstream_sink_rows_inserted").tag("table", table).register(registry).increment(rows);
    Timer.builder("spendstream_sink_insert").tag("table", table).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    lastInsertFailed.set(0);
  }

  public void insertFailed(String table) {
    Counter.builder("spendstream_sink_insert_failures").tag("table", table).register(registry).increment();
    lastInsertFailed.set(1);
  }

  /** A row ClickHouse refused on its own (found by splitting its batch), dead-lettered with the server's reason. */
  public void rowRefused(String table) {
    Counter.builder("spendstream_sink_rows_refused").tag("table", table).register(registry).increment();
  }

  public void batchCommitted(String table, int deadLetters) {
    Counter.builder("spendstream_sink_batches_committed").tag("table", table).register(registry).increment();
    if (deadLetters > 0) {
      Counter.builder("spendstream_sink_dead_lettered").tag("table", table).register(registry).increment(deadLetters);
    }
  }

  /** Whether the last insert attempt failed (ClickHouse down or refusing): the service is then not ready. */
  public boolean failing() {
    return lastInsertFailed.get() == 1;
  }

  public double counter(String name, String table) {
    Counter c = registry.find(name).tag("table", table).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    if (consumerMetrics != null) {
      consumerMetrics.close();
    }
    registry.close();
  }
}
