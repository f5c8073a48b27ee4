package io.spendstream.infra.registry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How to run the local schema registry.
 *
 * @param port HTTP port on 127.0.0.1 (the Confluent-compatible API is under /apis/ccompat/v7)
 * @param managementPort Quarkus management port (health, metrics); moved off 9000, which Kafka
 *     tooling and others like to take
 * @param dataDir where the registry keeps its H2 database; empty = in memory (tests)
 * @param logFile where the registry process writes its output
 * @param heapBytes maximum heap of the registry JVM
 */
public record RegistryOptions(int port, int managementPort, Optional<Path> dataDir, Path logFile, long heapBytes) {
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_HEAP_BYTES = 384L * 1024 * 1024;

  public RegistryOptions {
    List<String> problems = new ArrayList<>();
    if (port < 1 || port > 65535) {
      problems.add("port must be 1..65535, was " + port);
    }
    if (managementPort < 1 || managementPort > 65535) {
      problems.add("managementPort must be 1..65535, was " + managementPort);
    }
    if (port == managementPort) {
      problems.add("port and managementPort must differ, both were " + port);
    }
    if (heapBytes < 128L * 1024 * 1024) {
      problems.add("heapBytes must be at least 128 MiB, was " + heapBytes);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid registry options: " + String.join("; ", problems));
    }
  }

  /** In-memory registry on the given ports, logging to {@code logFile}. */
  public static RegistryOptions inMemory(int port, int managementPort, Path logFile) {
    return new RegistryOptions(port, managementPort, Optional.empty(), logFile, DEFAULT_HEAP_BYTES);
  }
}
