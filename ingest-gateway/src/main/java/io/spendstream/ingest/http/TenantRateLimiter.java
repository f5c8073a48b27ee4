package io.spendstream.ingest.http;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A token bucket per tenant: up to {@code rate} events per second, bursts up to one second's worth. */
final class TenantRateLimiter {
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** Consumes {@code events} tokens; empty when allowed, else the wait until they would be. */
  java.util.Optional<Duration> tryAcquire(String tenant, long ratePerSecond, int events) {
    Bucket b = buckets.computeIfAbsent(tenant + '\u0000' + ratePerSecond, k -> Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(ratePerSecond).refillGreedy(ratePerSecond, Duration.ofSeconds(1)).build())
        .build());
    ConsumptionProbe p = b.tryConsumeAndReturnRemaining(events);
    return p.isConsumed() ? java.util.Optional.empty() : java.util.Optional.of(Duration.ofNanos(p.getNanosToWaitForRefill()));
  }
}
