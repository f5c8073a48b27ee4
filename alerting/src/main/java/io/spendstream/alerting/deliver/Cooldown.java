package io.spendstream.alerting.deliver;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * One destination's noise control: one notification per alert group per cooldown, measured in event time
 * (detected_at), so a replay or a redelivery decides the same way. Repeats inside the cooldown are counted and
 * reported with the next notification of the group. The same fingerprint twice (a redelivered record) is
 * dropped. Resolutions always pass. State is bounded (least recently used groups are forgotten first).
 */
public final class Cooldown {
  private final long cooldownMs;
  private final Cache<String, GroupState> groups = Caffeine.newBuilder().maximumSize(100_000).build();

  private static final class GroupState {
    String lastAlertId;
    long lastSentAt;
    long suppressed;
  }

  /** Why an alert was not passed on. */
  public enum Suppression { REPEAT, DUPLICATE }

  /** The decision for one alert: a notification to send, or the reason it is held back. */
  public record Decision(Optional<Notification> send, Suppression suppressed) {}

  public Cooldown(Duration cooldown) {
    this.cooldownMs = cooldown.toMillis();
  }

  public synchronized Decision offer(Alert a, String destination) {
    String key = AlertGroups.keyOf(a);
    GroupState g = groups.get(key, k -> new GroupState());
    long at = a.getDetectedAt().toEpochMilli();
    Notification n = new Notification(a, destination, g.suppressed);
    if (a.getStatus() == AlertStatus.RESOLVED) {
      return new Decision(Optional.of(n), null);
    }
    if (a.getAlertId().equals(g.lastAlertId)) {
      return new Decision(Optional.empty(), Suppression.DUPLICATE);
    }
    // either direction: alerts of one group can arrive out of order (alerts.v1 is keyed by fingerprint, so a
    // group's alerts spread over partitions)
    if (g.lastAlertId != null && cooldownMs > 0 && Math.abs(at - g.lastSentAt) < cooldownMs) {
      g.suppressed++;
      return new Decision(Optional.empty(), Suppression.REPEAT);
    }
    g.lastAlertId = a.getAlertId();
    g.lastSentAt = at;
    g.suppressed = 0;
    return new Decision(Optional.of(n), null);
  }
}
