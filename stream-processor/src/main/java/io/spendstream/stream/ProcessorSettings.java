package io.spendstream.stream;

import io.spendstream.pricing.PriceCatalog;
import io.spendstream.stream.config.ProcessorConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How one stream processor instance runs. Instances with the same {@code applicationId} share the work
 * (Kafka assigns partitions); {@code guarantee} is exactly_once_v2 unless at_least_once is asked for.
 */
public record ProcessorSettings(String bootstrap, String registryUrl, String applicationId, Path stateDir, int threads,
    String guarantee, Duration commitInterval, int replicationFactor, String host, int httpPort, ProcessorTopics topics,
    ProcessorConfig config, PriceCatalog catalog) {
  public static final String DEFAULT_APPLICATION_ID = "spendstream-stream-processor";

  public ProcessorSettings {
    List<String> p = new ArrayList<>();
    if (bootstrap == null || bootstrap.isBlank()) {
      p.add("--kafka: bootstrap servers are required");
    }
    if (registryUrl == null || !registryUrl.startsWith("http")) {
      p.add("--registry: an http(s) URL is required");
    }
    if (applicationId == null || !applicationId.matches("[A-Za-z0-9._-]+")) {
      p.add("--application-id: letters, digits, '.', '_' and '-' only");
    }
    if (threads < 1 || threads > 64) {
      p.add("--threads: must be 1..64");
    }
    if (!List.of("exactly_once_v2", "at_least_once").contains(guarantee)) {
      p.add("--guarantee: exactly_once_v2 or at_least_once");
    }
    if (commitInterval == null || !commitInterval.isPositive()) {
      p.add("--commit-interval: must be positive");
    }
    if (replicationFactor == 0 || replicationFactor < -1) {
      p.add("--replication-factor: -1 (broker default) or >= 1");
    }
    if (httpPort < 0 || httpPort > 65535) {
      p.add("--port: 0..65535");
    }
    if (!p.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", p));
    }
  }
}
