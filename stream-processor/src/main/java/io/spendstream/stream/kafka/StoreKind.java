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
    return this == PERSISTENT
        ? Stores.persistentWindowStore(name, retention, size, false)
        : Stores.inMemoryWindowStore(name, retention, size, false);
  }
}
