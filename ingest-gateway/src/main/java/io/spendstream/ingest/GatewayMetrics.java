package io.spendstream.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** Prometheus metrics of the gateway (scraped at GET /metrics). Tenant labels come only from the keys file. */
public final class GatewayMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AtomicLong inFlightRequests = new AtomicLong();
  private final AtomicLong inFlightBytes = new AtomicLong();
  private final Timer produce;

  public GatewayMetrics() {
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
    registry.gauge("gateway_inflight_requests", inFlightRequests);
    registry.gauge("gateway_inflight_bytes", inFlightBytes);
    produce = Timer.builder("gateway_produce_latency").description("time from first send to the last Kafka ack of a request")
        .publishPercentiles(0.5, 0.99).register(registry);
  }

  public void request(String endpoint, int status) {
    Counter.builder("gateway_requests").tag("endpoint", endpoint).tag("status", String.valueOf(status)).register(registry)
        .increment();
  }

  public void events(String tenant, String outcome, long n) {
    if (n > 0) {
      Counter.builder("gateway_events").tag("tenant", tenant).tag("outcome", outcome).register(registry).increment(n);
    }
  }

  /** An OTLP log record that is not a call (a Claude Code tool or prompt event, a log without usage), by bounded name. */
  public void logRecordIgnored(String event) {
    Counter.builder("gateway_otlp_log_records_ignored").tag("event", event).register(registry).increment();
  }

  /** An OTLP metric data point that is not reported usage we read (Claude Code's other metrics), by bounded name. */
  public void metricPointIgnored(String metric) {
    Counter.builder("gateway_otlp_metric_points_ignored").tag("metric", metric).register(registry).increment();
  }

  public Timer produceTimer() {
    return produce;
  }

  public AtomicLong inFlightRequests() {
    return inFlightRequests;
  }

  public AtomicLong inFlightBytes() {
    return inFlightBytes;
  }

  public String scrape() {
    return registry.scrape();
  }
}
