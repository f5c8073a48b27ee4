package io.spendstream.infra.clickhouse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ClickHouse endpoint's settings.
 *
 * @param port HTTP port on 127.0.0.1 (ClickHouse's conventional 8123)
 * @param dataDir the engine's data path; one process per data path
 * @param libchdb path of libchdb.so
 * @param adminUser full-access user (ClickHouse's {@code default})
 * @param adminPassword its password; empty allowed for local development
 * @param readOnlyUser the on-call user: SELECT only, with {@link #readOnlyLimits()}
 * @param readOnlyPassword its password
 * @param readOnlyLimits settings the on-call user runs under and cannot override
 * @param threads concurrent HTTP requests served (statements still run one at a time per session)
 */
public record EndpointConfig(int port, Path dataDir, Path libchdb, String adminUser, String adminPassword,
    String readOnlyUser, String readOnlyPassword, Map<String, String> readOnlyLimits, int threads) {

  public static final int DEFAULT_PORT = 8123;
  public static final String DEFAULT_READONLY_USER = "oncall";
  /** Sane limits for people running ad-hoc SQL at 2 a.m. on a shared box. */
  public static final Map<String, String> DEFAULT_READONLY_LIMITS = Map.of(
      "max_execution_time", String.valueOf(Duration.ofSeconds(60).toSeconds()),
      "max_result_rows", "1000000",
      "max_memory_usage", String.valueOf(4L * 1024 * 1024 * 1024),
      "max_threads", "2");

  public EndpointConfig {
    List<String> problems = new ArrayList<>();
    if (port < 1 || port > 65535) {
      problems.add("port must be 1..65535, was " + port);
    }
    if (dataDir == null) {
      problems.add("dataDir is required");
    }
    if (libchdb == null) {
      problems.add("libchdb is required");
    }
    if (adminUser == null || adminUser.isBlank() || readOnlyUser == null || readOnlyUser.isBlank()) {
      problems.add("adminUser and readOnlyUser are required");
    } else if (adminUser.equals(readOnlyUser)) {
      problems.add("adminUser and readOnlyUser must differ");
    }
    if (adminPassword == null || readOnlyPassword == null) {
      problems.add("passwords must not be null (use \"\" for none)");
    }
    if (threads < 1 || threads > 256) {
      problems.add("threads must be 1..256, was " + threads);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid ClickHouse endpoint config: " + String.join("; ", problems));
    }
    readOnlyLimits = Map.copyOf(readOnlyLimits);
  }

  public static EndpointConfig local(int port, Path dataDir, Path libchdb) {
    return new EndpointConfig(port, dataDir, libchdb, "default", "", DEFAULT_READONLY_USER, "oncall",
        DEFAULT_READONLY_LIMITS, 8);
  }

  @Override
  public String toString() {
    return "EndpointConfig[port=" + port + ", dataDir=" + dataDir + ", adminUser=" + adminUser + ", readOnlyUser="
        + readOnlyUser + ", passwords=***, readOnlyLimits=" + readOnlyLimits + "]";
  }
}
