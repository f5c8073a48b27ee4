package io.spendstream.ingest;

import io.spendstream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's settings; sizes in bytes, durations as Duration, rates in events per second.
 *
 * @param maxBodyBytes largest request body accepted (413 above)
 * @param maxBatchEvents most events in one request (413 above)
 * @param maxInFlightBytes request bytes being processed at once; beyond it requests get 503 + Retry-After
 *     (backpressure instead of running out of memory)
 * @param produceTimeout how long a request waits for Kafka's acknowledgements before answering 503
 * @param defaultRateLimitPerSecond per-tenant events per second unless the keys file overrides it
 */
public record GatewayConfig(String host, int port, Path keysFile, String kafkaBootstrap, String registryUrl, String topic,
    long maxBodyBytes, int maxBatchEvents, long maxInFlightBytes, Duration produceTimeout, long defaultRateLimitPerSecond,
    Duration maxEventAge, Duration maxEventFuture, Duration shutdownGrace) {

  public static final int DEFAULT_PORT = 8088;

  public GatewayConfig {
    List<String> problems = new ArrayList<>();
    if (port < 0 || port > 65535) {
      problems.add("port must be 0..65535 (0 = any free port), was " + port);
    }
    if (keysFile == null) {
      problems.add("keysFile is required");
    }
    if (kafkaBootstrap == null || kafkaBootstrap.isBlank()) {
      problems.add("kafkaBootstrap is required");
    }
    if (registryUrl == null || registryUrl.isBlank()) {
      problems.add("registryUrl is required");
    }
    if (maxBodyBytes < 1024) {
      problems.add("maxBodyBytes must be >= 1024, was " + maxBodyBytes);
    }
    if (maxBatchEvents < 1) {
      problems.add("maxBatchEvents must be >= 1, was " + maxBatchEvents);
    }
    if (maxInFlightBytes < maxBodyBytes) {
      problems.add("maxInFlightBytes must be >= maxBodyBytes (" + maxBodyBytes + "), was " + maxInFlightBytes);
    }
    if (produceTimeout == null || produceTimeout.compareTo(Duration.ofMillis(100)) < 0) {
      problems.add("produceTimeout must be >= 100 ms");
    }
    if (defaultRateLimitPerSecond < 1) {
      problems.add("defaultRateLimitPerSecond must be >= 1, was " + defaultRateLimitPerSecond);
    }
    if (maxEventAge == null || maxEventAge.isNegative() || maxEventFuture == null || maxEventFuture.isNegative()) {
      problems.add("maxEventAge and maxEventFuture must be non-negative");
    }
    if (shutdownGrace == null || shutdownGrace.isNegative()) {
      problems.add("shutdownGrace must be non-negative");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid gateway config: " + String.join("; ", problems));
    }
  }

  /** Defaults: 5 MiB bodies, 10,000 events per request, 256 MiB in flight, 10 s produce timeout, 10,000 events/s per tenant. */
  public static GatewayConfig defaults(int port, Path keysFile, String kafkaBootstrap, String registryUrl) {
    return new GatewayConfig("127.0.0.1", port, keysFile, kafkaBootstrap, registryUrl, Topics.LLM_CALLS, 5L * 1024 * 1024,
        10_000, 256L * 1024 * 1024, Duration.ofSeconds(10), 10_000, Duration.ofDays(7), Duration.ofMinutes(5),
        Duration.ofSeconds(30));
  }

  /**
   * Where reported usage (Claude Code's metrics) goes: {@code usage.reported.v1} with the calls topic's suffix, if
   * any (tests give each run its own topics).
   */
  public String usageTopic() {
    return topic.startsWith(Topics.LLM_CALLS) ? Topics.USAGE_REPORTED + topic.substring(Topics.LLM_CALLS.length())
        : topic + ".usage-reported";
  }

  public GatewayConfig withLimits(long maxBody, int maxBatch, long maxInFlight, long ratePerSecond) {
    return toBuilder().maxBodyBytes(maxBody).maxBatchEvents(maxBatch).maxInFlightBytes(maxInFlight)
        .defaultRateLimitPerSecond(ratePerSecond).build();
  }

  public GatewayConfig withProduceTimeout(Duration timeout) {
    return toBuilder().produceTimeout(timeout).build();
  }

  /** This config as a builder (start from {@link #defaults}), to change settings by name; {@link Builder#build} validates. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Named settings over a whole config. */
  public static final class Builder {
    private String host;
    private int port;
    private Path keysFile;
    private String kafkaBootstrap;
    private String registryUrl;
    private String topic;
    private long maxBodyBytes;
    private int maxBatchEvents;
    private long maxInFlightBytes;
    private Duration produceTimeout;
    private long defaultRateLimitPerSecond;
    private Duration maxEventAge;
    private Duration maxEventFuture;
    private Duration shutdownGrace;

    private Builder(GatewayConfig c) {
      host = c.host;
      port = c.port;
      keysFile = c.keysFile;
      kafkaBootstrap = c.kafkaBootstrap;
      registryUrl = c.registryUrl;
      topic = c.topic;
      maxBodyBytes = c.maxBodyBytes;
      maxBatchEvents = c.maxBatchEvents;
      maxInFlightBytes = c.maxInFlightBytes;
      produceTimeout = c.produceTimeout;
      defaultRateLimitPerSecond = c.defaultRateLimitPerSecond;
      maxEventAge = c.maxEventAge;
      maxEventFuture = c.maxEventFuture;
      shutdownGrace = c.shutdownGrace;
    }

    public Builder host(String v) {
      host = v;
      return this;
    }

    public Builder port(int v) {
      port = v;
      return this;
    }

    public Builder topic(String v) {
      topic = v;
      return this;
    }

    public Builder maxBodyBytes(long v) {
      maxBodyBytes = v;
      return this;
    }

    public Builder maxBatchEvents(int v) {
      maxBatchEvents = v;
      return this;
    }

    public Builder maxInFlightBytes(long v) {
      maxInFlightBytes = v;
      return this;
    }

    public Builder produceTimeout(Duration v) {
      produceTimeout = v;
      return this;
    }

    public Builder defaultRateLimitPerSecond(long v) {
      defaultRateLimitPerSecond = v;
      return this;
    }

    public Builder shutdownGrace(Duration v) {
      shutdownGrace = v;
      return this;
    }

    public GatewayConfig build() {
      return new GatewayConfig(host, port, keysFile, kafkaBootstrap, registryUrl, topic, maxBodyBytes, maxBatchEvents,
          maxInFlightBytes, produceTimeout, defaultRateLimitPerSecond, maxEventAge, maxEventFuture, shutdownGrace);
    }
  }
}
