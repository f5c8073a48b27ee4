package io.spendstream.ingest.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.spendstream.ingest.GatewayConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * What every ingest endpoint of one gateway shares, so that sending through three endpoints gives a tenant
 * neither three rate budgets nor three shares of memory: the bytes in flight (whole gateway and per tenant),
 * the per-tenant rate limit, and the cache of recently acknowledged event ids.
 */
public final class IngestBudget {
  /** Recently acknowledged (tenant, event_id) pairs, as 128-bit digests: ~40 bytes an entry whatever the id's length. */
  private record Acked(long hi, long lo) {}

  private static final int ACKED_ENTRIES = 500_000;
  final Semaphore inFlightBytes;
  private final int perTenantInFlightBytes;
  private final Map<String, Semaphore> tenantInFlight = new ConcurrentHashMap<>();
  final TenantRateLimiter rateLimiter = new TenantRateLimiter();
  private final Cache<Acked, Boolean> recentlyAcked = Caffeine.newBuilder().maximumSize(ACKED_ENTRIES)
      .expireAfterWrite(Duration.ofMinutes(10)).build();

  public IngestBudget(GatewayConfig config) {
    this.inFlightBytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, config.maxInFlightBytes()));
    // a quarter of the gateway's bytes in flight, and at least one largest body
    this.perTenantInFlightBytes = (int) Math.min(Integer.MAX_VALUE, Math.max(config.maxBodyBytes(), config.maxInFlightBytes() / 4));
  }

  int perTenantInFlightBytes() {
    return perTenantInFlightBytes;
  }

  Semaphore tenantInFlight(String tenant) {
    return tenantInFlight.computeIfAbsent(tenant, t -> new Semaphore(perTenantInFlightBytes));
  }

  boolean recentlyAcked(String tenant, String eventId) {
    return recentlyAcked.getIfPresent(key(tenant, eventId)) != null;
  }

  void acked(String tenant, String eventId) {
    recentlyAcked.put(key(tenant, eventId), Boolean.TRUE);
  }

  private static Acked key(String tenant, String eventId) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(tenant.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0); // tenant ids cannot contain NUL: the pair is unambiguous
      byte[] d = sha.digest(eventId.getBytes(StandardCharsets.UTF_8));
      long hi = 0;
      long lo = 0;
      for (int i = 0; i < 8; i++) {
        hi = hi << 8 | (d[i] & 0xff);
        lo = lo << 8 | (d[i + 8] & 0xff);
      }
      return new Acked(hi, lo);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
