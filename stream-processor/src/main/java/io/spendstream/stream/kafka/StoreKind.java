package io.spendstream.stream.kafka;

import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;

/**
 * Where state lives. Production uses RocksDB; tests and replay use memory, because TopologyTestDriver
 * commits after every record and RocksDB then runs at a few hundred records per second.
 */
public enum StoreKind {
  PERSISTENT, IN_MEMORY;

  public KeyValueBytesStoreSupplier keyValue(String name) {
    return this == PERSISTENT ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
  }

  public WindowBytesStoreSupplier window(String name, Duration retention, Duration size) {
    return window(name, retention, size, false);
  }

  /** With {@code retainDuplicates}, every put of a key at the same time is kept (a log of events, not a value). */
  public WindowBytesStoreSupplier window(String name, Duration retention, Duration size, boolean retainDuplicates) {
    return this == PERSISTENT
        ? Stores.persistentWindowStore(name, retention, size, retainDuplicates)
        : Stores.inMemoryWindowStore(name, retention, size, retainDuplicates);
  }
}
