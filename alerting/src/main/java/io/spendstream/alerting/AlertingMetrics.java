package io.spendstream.alerting;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * Delivery metrics by destination: delivered, failed attempts, retries, suppressed (by reason: repeat within
 * the cooldown, duplicate fingerprint), parked on the dead-letter topic; delivery latency; alerts in flight.
 */
public final class AlertingMetrics implements AutoCloseable {
  public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private KafkaClientMetrics consumerMetrics;

  public AlertingMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
  }

  public void bind(Consumer<?, ?> consumer, IntSupplier inFlight) {
    consumerMetrics = new KafkaClientMetrics(consumer);
    consumerMetrics.bindTo(registry);
    registry.gauge("spendstream_alerting_in_flight", inFlight, s -> s.getAsInt());
  }

  public void delivered(String destination, long nanos) {
    count("spendstream_alerting_delivered", destination);
    Timer.builder("spendstream_alerting_delivery").tag("destination", destination).register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  public void failed(String destination) {
    count("spendstream_alerting_failed", destination);
  }

  public void retried(String destination) {
    count("spendstream_alerting_retried", destination);
  }

  /** A notification had to wait for the destination's rate limit (it is sent when the bucket refills). */
  public void rateLimited(String destination) {
    count("spendstream_alerting_rate_limited", destination);
  }

  public void parked(String destination) {
    count("spendstream_alerting_parked", destination);
  }

  public void suppressed(String destination, String reason) {
    Counter.builder("spendstream_alerting_suppressed").tag("destination", destination).tag("reason", reason)
        .register(registry).increment();
  }

  public void unreadable() {
    Counter.builder("spendstream_alerting_unreadable").register(registry).increment();
  }

  private void count(String name, String destination) {
    Counter.builder(name).tag("destination", destination).register(registry).increment();
  }

  /** A counter's value summed over its other tags (0 when never incremented). */
  public double total(String name, String destination) {
    return registry.find(name).tag("destination", destination).counters().stream().mapToDouble(Counter::count).sum();
  }

  @Override
  public void close() {
    if (consumerMetrics != null) {
      consumerMetrics.close();
    }
    registry.close();
  }
}
