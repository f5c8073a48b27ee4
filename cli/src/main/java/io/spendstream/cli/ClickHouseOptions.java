package io.spendstream.cli;

import io.spendstream.infra.stack.AdminPassword;
import picocli.CommandLine.Option;

/** Where a command finds ClickHouse, as an admin-capable user (defaults: the local stack of 'spendstream up'). */
final class ClickHouseOptions {
  static final String LOCAL_URL = "http://127.0.0.1:8123";

  @Option(names = "--clickhouse", defaultValue = LOCAL_URL, description = "ClickHouse HTTP URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--user", defaultValue = "default", description = "ClickHouse user (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(names = "--password-env", defaultValue = "SPENDSTREAM_CH_PASSWORD",
      description = "Environment variable holding the ClickHouse password (default: ${DEFAULT-VALUE}; unset: for the"
          + " local stack's URL its generated password from ~/.spendstream/clickhouse-admin-password, else empty).")
  String passwordEnv;

  @Option(names = "--database", defaultValue = "spendstream", description = "Database (default: ${DEFAULT-VALUE}).")
  String database;

  String password() {
    String fromEnv = System.getenv(passwordEnv);
    return fromEnv != null ? fromEnv : localStackPassword(url);
  }

  /** The password 'spendstream up' generated, when {@code url} is the local stack's; empty otherwise. */
  static String localStackPassword(String url) {
    return url.equals(LOCAL_URL) ? AdminPassword.readIfPresent(Repo.defaultStateDir()) : "";
  }
}
