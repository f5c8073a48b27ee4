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

  /** A sink for these three endpoints with every other setting at its default (see {@link Builder}). */
  public static Builder builder(String bootstrap, String registryUrl, String clickhouseUrl) {
    return new Builder(bootstrap, registryUrl, clickhouseUrl);
  }

  /** This config as a builder, to change a few settings. */
  public Builder toBuilder() {
    return new Builder(bootstrap, registryUrl, clickhouseUrl).user(user).password(password).schema(schema).groupId(groupId)
        .topics(topics).maxRows(maxRows).maxBytes(maxBytes).maxWait(maxWait).maxBackoff(maxBackoff).host(host)
        .httpPort(httpPort);
  }

  /**
   * Named settings with defaults: user {@code default} without password, database {@code spendstream} on one node,
   * group {@link #DEFAULT_GROUP}, the default topics, batches of 10,000 rows / 16 MiB / 1 s, retries backing off up
   * to 30 s, health on 127.0.0.1 at any free port. {@link #build} validates everything at once.
   */
  public static final class Builder {
    private final String bootstrap;
    private final String registryUrl;
    private String clickhouseUrl;
    private String user = "default";
    private String password = "";
    private SchemaConfig schema = SchemaConfig.singleNode("spendstream");
    private String groupId = DEFAULT_GROUP;
    private SinkTopics topics = SinkTopics.defaults();
    private int maxRows = 10_000;
    private long maxBytes = 16L << 20;
    private Duration maxWait = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private String host = "127.0.0.1";
    private int httpPort;

    private Builder(String bootstrap, String registryUrl, String clickhouseUrl) {
      this.bootstrap = bootstrap;
      this.registryUrl = registryUrl;
      this.clickhouseUrl = clickhouseUrl;
    }

    public Builder clickhouseUrl(String v) {
      clickhouseUrl = v;
      return this;
    }

    public Builder user(String v) {
      user = v;
      return this;
    }

    public Builder password(String v) {
      password = v;
      return this;
    }

    public Builder schema(SchemaConfig v) {
      schema = v;
      return this;
    }

    public Builder groupId(String v) {
      groupId = v;
      return this;
    }

    public Builder topics(SinkTopics v) {
      topics = v;
      return this;
    }

    public Builder maxRows(int v) {
      maxRows = v;
      return this;
    }

    public Builder maxBytes(long v) {
      maxBytes = v;
      return this;
    }

    public Builder maxWait(Duration v) {
      maxWait = v;
      return this;
    }

    public Builder maxBackoff(Duration v) {
      maxBackoff = v;
      return this;
    }

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder httpPort(int v) {
      httpPort = v;
      return this;
    }

    public SinkConfig build() {
      return new SinkConfig(bootstrap, registryUrl, clickhouseUrl, user, password, schema, groupId, topics, maxRows, maxBytes,
          maxWait, maxBackoff, host, httpPort);
    }
  }

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
