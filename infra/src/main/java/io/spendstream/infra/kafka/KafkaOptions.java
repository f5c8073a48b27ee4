package io.spendstream.infra.kafka;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A single-node KRaft broker on loopback.
 *
 * @param port client listener (9092 by convention)
 * @param controllerPort KRaft controller listener
 * @param dataDir log dirs and generated config; formatted once
 * @param defaultPartitions partitions of auto-sized topics
 * @param heapBytes broker JVM heap
 */
public record KafkaOptions(int port, int controllerPort, Path dataDir, int defaultPartitions, long heapBytes) {
  public static final int DEFAULT_PORT = 9092;

  public KafkaOptions {
    List<String> problems = new ArrayList<>();
    if (port < 1 || port > 65535 || controllerPort < 1 || controllerPort > 65535) {
      problems.add("ports must be 1..65535");
    }
    if (port == controllerPort) {
      problems.add("port and controllerPort must differ");
    }
    if (dataDir == null) {
      problems.add("dataDir is required");
    }
    if (defaultPartitions < 1) {
      problems.add("defaultPartitions must be >= 1");
    }
    if (heapBytes < 256L * 1024 * 1024) {
      problems.add("heapBytes must be >= 256 MiB");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid Kafka options: " + String.join("; ", problems));
    }
  }

  public static KafkaOptions of(int port, int controllerPort, Path dataDir) {
    return new KafkaOptions(port, controllerPort, dataDir, 3, 512L * 1024 * 1024);
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }
}
