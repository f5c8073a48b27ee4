package io.spendstream.alerting.deliver;

import java.util.Optional;

/**
 * The last notification sent per cooldown key, kept where every alerting instance and a restarted one can
 * read it ({@link io.spendstream.alerting.kafka.KafkaSentLog}: a compacted topic).
 */
public interface SentLog {
  /** The last notification sent for a key: its alert and its event time. */
  record Sent(String alertId, long detectedAtMs) {}

  Optional<Sent> last(String key);

  /** Stores it before returning (a restart or another instance must see it); throws when it could not. */
  void record(String key, Sent sent);

  /** Kept in this process only: for a single instance whose restarts may forget (and for tests). */
  static SentLog inMemory() {
    java.util.Map<String, Sent> m = new java.util.concurrent.ConcurrentHashMap<>();
    return new SentLog() {
      @Override
      public Optional<Sent> last(String key) {
        return Optional.ofNullable(m.get(key));
      }

      @Override
      public void record(String key, Sent sent) {
        m.put(key, sent);
      }
    };
  }
}
