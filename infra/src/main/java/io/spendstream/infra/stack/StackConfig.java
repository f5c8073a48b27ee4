package io.spendstream.infra.stack;

import io.spendstream.infra.kafka.TopicSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the local stack listens and keeps its state. Defaults are the conventional ports: Kafka 9092
 * (controller 9093), schema registry 8080 (management 8091, off Quarkus' 9000), ClickHouse HTTP 8123.
 */
public record StackConfig(Path stateDir, int kafkaPort, int kafkaControllerPort, int registryPort,
    int registryManagementPort, int clickhousePort, String database, List<TopicSpec> topics) {

  public StackConfig {
    List<String> problems = new ArrayList<>();
    Set<Integer> ports = new HashSet<>();
    for (int p : new int[] {kafkaPort, kafkaControllerPort, registryPort, registryManagementPort, clickhousePort}) {
      if (p < 1 || p > 65535) {
        problems.add("port " + p + " is not in 1..65535");
      } else if (!ports.add(p)) {
        problems.add("port " + p + " is configured twice");
      }
    }
    if (stateDir == null) {
      problems.add("stateDir is required");
    }
    if (database == null || !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      problems.add("database must be an identifier, was " + database);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid stack config: " + String.join("; ", problems));
    }
    topics = List.copyOf(topics);
  }

  public Path stackFile() {
    return stateDir.resolve("stack.properties");
  }

  public String kafkaBootstrap() {
    return "127.0.0.1:" + kafkaPort;
  }

  public String registryUrl() {
    return "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7";
  }

  public String clickhouseUrl() {
    return "http://127.0.0.1:" + clickhousePort;
  }
}
