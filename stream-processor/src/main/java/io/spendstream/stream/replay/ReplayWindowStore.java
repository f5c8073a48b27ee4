package io.spendstream.stream.replay;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * The point operations of a window store for replay, with Kafka's in-memory window store's retention rule (a
 * timestamp at or before the newest one put minus the retention is expired: not stored, not found). Kafka's own
 * in-memory store cannot be initialised outside a running application, and the processor's window stores only
 * put and fetch at exact timestamps; range queries are not supported here.
 */
final class ReplayWindowStore<K, V> implements WindowStore<K, V> {
  private final String name;
  private final long retentionMs;
  private final TreeMap<Long, Map<K, V>> byTime = new TreeMap<>();
  private long observed = Long.MIN_VALUE;
  private boolean open = true;

  ReplayWindowStore(String name, Duration retention) {
    this.name = name;
    this.retentionMs = retention.toMillis();
  }

  private boolean expired(long ts) {
    return observed != Long.MIN_VALUE && ts <= observed - retentionMs;
  }

  @Override
  public void put(K key, V value, long windowStart) {
    if (windowStart > observed) {
      observed = windowStart;
      byTime.headMap(observed - retentionMs, true).clear();
    }
    if (expired(windowStart)) {
      return;
    }
    if (value == null) {
      Map<K, V> m = byTime.get(windowStart);
      if (m != null) {
        m.remove(key);
      }
    } else {
      byTime.computeIfAbsent(windowStart, t -> new HashMap<>()).put(key, value);
    }
  }

  @Override
  public V fetch(K key, long time) {
    if (expired(time)) {
      return null;
    }
    Map<K, V> m = byTime.get(time);
    return m == null ? null : m.get(key);
  }

  private static UnsupportedOperationException ranges() {
    return new UnsupportedOperationException("range queries: replay's window store supports put and fetch(key, time)");
  }

  @Override
  public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
    throw ranges();
  }

  @Override
  public WindowStoreIterator<V> fetch(K key, Instant timeFrom, Instant timeTo) {
    throw ranges();
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
    throw ranges();
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, Instant timeFrom, Instant timeTo) {
    throw ranges();
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo) {
    throw ranges();
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> fetchAll(Instant timeFrom, Instant timeTo) {
    throw ranges();
  }

  @Override
  public KeyValueIterator<Windowed<K>, V> all() {
    throw ranges();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    open = true;
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
    open = false;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }
}
