package io.spendstream.alerting.deliver;

import io.github.bucket4j.Bucket;
import io.spendstream.alerting.AlertingMetrics;
import io.spendstream.alerting.config.DestinationConfig;
import io.spendstream.alerting.kafka.Parking;
import io.spendstream.ops.Failures;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers to one destination on its own thread, in order, so a slow or failing destination holds back only its
 * own queue. Per delivery: cooldown (suppress and count repeats), rate limit (wait for a token), up to
 * max_attempts tries with exponential backoff, then park on the dead-letter topic; the cooldown is recorded only
 * once a notification was delivered. A delivery is reported
 * finished only after it was sent, suppressed or parked; on shutdown the one in progress is left unfinished
 * (the consumer does not commit it, and it is redelivered after restart).
 */
public final class DestinationWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DestinationWorker.class);
  private final DestinationConfig config;
  private final Destination destination;
  private final Cooldown cooldown;
  private final Bucket rateLimit;
  private final Parking parking;
  private final AlertingMetrics metrics;
  private final BlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  public DestinationWorker(DestinationConfig config, Destination destination, Parking parking, AlertingMetrics metrics) {
    this(config, destination, new Cooldown(config.cooldown()), parking, metrics);
  }

  public DestinationWorker(DestinationConfig config, Destination destination, Cooldown cooldown, Parking parking,
      AlertingMetrics metrics) {
    this.config = config;
    this.destination = destination;
    this.cooldown = cooldown;
    this.rateLimit = config.ratePerMinute() == 0 ? null : Bucket.builder()
        .addLimit(l -> l.capacity(config.ratePerMinute()).refillGreedy(config.ratePerMinute(), Duration.ofMinutes(1))).build();
    this.parking = parking;
    this.metrics = metrics;
    this.thread = Thread.ofPlatform().name("deliver-" + config.name()).daemon().start(this::run);
  }

  public void submit(Delivery d) {
    queue.add(d);
  }

  public int queued() {
    return queue.size();
  }

  private void run() {
    while (running) {
      Delivery d;
      try {
        d = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (d != null && deliverSurviving(d)) {
        d.finished().run();
      }
    }
  }

  /**
   * No single alert can stop this worker: whatever a delivery throws (a hostile alert breaking a payload or a
   * request, a bug) parks that alert with the reason and the worker goes on with the next.
   */
  private boolean deliverSurviving(Delivery d) {
    try {
      return deliver(d);
    } catch (RuntimeException e) {
      LOG.error("event=delivery_crashed destination={} key={} error=\"{}\"", config.name(), d.alert().getAlertId(),
          Failures.rootMessage(e), e);
      try {
        return park(d, "cannot be delivered: " + e.getClass().getSimpleName() + ": " + Failures.rootMessage(e), 1);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** True when finished with d (sent, suppressed or parked); false when stopped first. */
  private boolean deliver(Delivery d) {
    Cooldown.Decision decision = cooldown.offer(d.alert(), config.name());
    if (decision.send().isEmpty()) {
      metrics.suppressed(config.name(), decision.suppressed().name().toLowerCase(Locale.ROOT));
      return true;
    }
    Notification n = decision.send().get();
    try {
      if (rateLimit != null && !rateLimit.tryConsume(1)) {
        metrics.rateLimited(config.name()); // waits, uncommitted, until the bucket refills
        rateLimit.asBlocking().consume(1);
      }
      long t0 = System.nanoTime();
      for (int attempt = 1; running; attempt++) {
        SendResult r = destination.send(n);
        switch (r) {
          case SendResult.Sent s -> {
            metrics.delivered(config.name(), System.nanoTime() - t0);
            recordSent(d);
            LOG.info("event=delivered destination={} key={} type={} tenant={} attempt={} suppressed_repeats={}", config.name(),
                n.idempotencyKey(), d.alert().getType(), d.alert().getTenantId(), attempt, n.suppressedRepeats());
            return true;
          }
          case SendResult.Failed f -> {
            metrics.failed(config.name());
            if (!f.retryable() || attempt >= config.retry().maxAttempts()) {
              return park(d, f.reason(), attempt);
            }
            Duration wait = config.retry().backoffAfter(attempt);
            metrics.retried(config.name());
            LOG.warn("event=delivery_retry destination={} key={} attempt={} backoff_ms={} reason=\"{}\"", config.name(),
                n.idempotencyKey(), attempt, wait.toMillis(), f.reason());
            sleep(wait);
          }
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The cooldown starts only now that it was delivered; if it cannot be remembered, a repeat may notify again. */
  private void recordSent(Delivery d) {
    try {
      cooldown.sent(d.alert());
    } catch (RuntimeException e) {
      LOG.error("event=cooldown_not_recorded destination={} key={} error=\"{}\" (a repeat may notify again)", config.name(),
          d.alert().getAlertId(), Failures.rootMessage(e));
    }
  }

  private boolean park(Delivery d, String reason, int attempts) throws InterruptedException {
    String why = "delivery_failed: " + reason;
    while (running) {
      try {
        parking.park(d.key(), d.value(), d.source(), config.name(), why, attempts);
        metrics.parked(config.name());
        LOG.error("event=parked destination={} key={} topic={} attempts={} reason=\"{}\"", config.name(),
            d.alert().getAlertId(), parking.topic(), attempts, reason);
        return true;
      } catch (Exception e) {
        if (e instanceof InterruptedException ie) {
          throw ie;
        }
        LOG.error("event=park_failed destination={} key={} cause=\"{}\" (kept in flight, retrying)", config.name(),
            d.alert().getAlertId(), Failures.rootMessage(e));
        sleep(Duration.ofSeconds(1));
      }
    }
    return false;
  }

  private void sleep(Duration d) throws InterruptedException {
    long until = System.nanoTime() + d.toNanos();
    while (running && System.nanoTime() < until) {
      Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
    }
  }

  /** Stops after the attempt in progress; what is queued stays undelivered (and uncommitted). */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(5_000);
      thread.interrupt();
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
