package io.spendstream.alerting.deliver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.spendstream.schemas.AlertGroups;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One destination's noise control: one notification per alert group per cooldown, measured in event time
 * (detected_at), so a replay or a redelivery decides the same way. Repeats inside the cooldown are counted and
 * reported with the next notification of the group. The same fingerprint twice (a redelivered record) is
 * dropped. Resolutions always pass.
 *
 * <p>The cooldown starts only when a notification was <em>delivered</em> ({@link #sent}): one that was parked
 * silences nothing. What was sent lives in a {@link SentLog} shared by every instance and kept across
 * restarts; the repeat counts are this instance's own (bounded, least recently used groups forgotten first).
 */
public final class Cooldown {
  private final long cooldownMs;
  private final SentLog sentLog;
  private final String scope;
  private final Cache<String, AtomicLong> repeats = Caffeine.newBuilder().maximumSize(100_000).build();

  /** Why an alert was not passed on. */
  public enum Suppression { REPEAT, DUPLICATE }

  /** The decision for one alert: a notification to send, or the reason it is held back. */
  public record Decision(Optional<Notification> send, Suppression suppressed) {}

  /** In memory only: for one instance whose restarts may notify a group again. */
  public Cooldown(Duration cooldown) {
    this(cooldown, SentLog.inMemory(), "");
  }

  /**
   * @param scope what keys this destination's groups in the shared log (deployment and destination), so two
   *     deployments or destinations never silence each other
   */
  public Cooldown(Duration cooldown, SentLog sentLog, String scope) {
    this.cooldownMs = cooldown.toMillis();
    this.sentLog = sentLog;
    this.scope = scope;
  }

  public synchronized Decision offer(Alert a, String destination) {
    String key = key(a);
    AtomicLong held = repeats.get(key, k -> new AtomicLong());
    Notification n = new Notification(a, destination, held.get());
    if (a.getStatus() == AlertStatus.RESOLVED) {
      return new Decision(Optional.of(n), null);
    }
    Optional<SentLog.Sent> last = sentLog.last(key);
    if (last.isPresent() && a.getAlertId().equals(last.get().alertId())) {
      return new Decision(Optional.empty(), Suppression.DUPLICATE);
    }
    // either direction: alerts of one group can arrive out of order (a late detection, a replay)
    long at = a.getDetectedAt().toEpochMilli();
    if (last.isPresent() && cooldownMs > 0 && Math.abs(at - last.get().detectedAtMs()) < cooldownMs) {
      held.incrementAndGet();
      return new Decision(Optional.empty(), Suppression.REPEAT);
    }
    return new Decision(Optional.of(n), null);
  }

  /** The notification for {@code a} was delivered: its group's cooldown starts now (in event time). */
  public synchronized void sent(Alert a) {
    if (a.getStatus() == AlertStatus.RESOLVED) {
      return;
    }
    String key = key(a);
    sentLog.record(key, new SentLog.Sent(a.getAlertId(), a.getDetectedAt().toEpochMilli()));
    AtomicLong held = repeats.getIfPresent(key);
    if (held != null) {
      held.set(0);
    }
  }

  private String key(Alert a) {
    return scope + "|" + AlertGroups.keyOf(a);
  }
}
