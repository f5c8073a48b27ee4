package io.spendstream.sink;

import io.spendstream.sink.schema.SchemaConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the sink runs. A partition's batch is written when it holds {@code maxRows} rows or {@code maxBytes}
 * of row data, or its first record is {@code maxWait} old, whichever comes first.
 */
public record SinkConfig(String bootstrap, String registryUrl, String clickhouseUrl, String user, String password,
    SchemaConfig schema, String groupId, SinkTopics topics, int maxRows, long maxBytes, Duration maxWait,
    Duration maxBackoff, String host, int httpPort) {
  public static final String DEFAULT_GROUP = "spendstream-sink";

  public SinkConfig {
    List<String> p = new ArrayList<>();
    if (bootstrap == null || bootstrap.isBlank()) {
      p.add("--kafka: bootstrap servers are required");
    }
    if (registryUrl == null || !registryUrl.startsWith("http")) {
      p.add("--registry: an http(s) URL is required");
    }
    if (clickhouseUrl == null || !clickhouseUrl.startsWith("http")) {
      p.add("--clickhouse: an http(s) URL is required");
    }
    if (maxRows < 1 || maxRows > 1_000_000) {
      p.add("--batch-rows: 1..1000000");
    }
    if (maxBytes < 1024) {
      p.add("--batch-bytes: at least 1024");
    }
    if (maxWait == null || !maxWait.isPositive()) {
      p.add("--batch-wait: must be positive");
    }
    if (maxBackoff == null || !maxBackoff.isPositive()) {
      p.add("--max-backoff: must be positive");
    }
    if (!p.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", p));
    }
  }
}
