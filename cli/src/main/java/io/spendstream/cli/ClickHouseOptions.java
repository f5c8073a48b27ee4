package io.spendstream.cli;

import picocli.CommandLine.Option;

/** Where a command finds ClickHouse, as an admin-capable user (defaults: the local stack of 'spendstream up'). */
final class ClickHouseOptions {
  @Option(names = "--clickhouse", defaultValue = "http://127.0.0.1:8123", description = "ClickHouse HTTP URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--user", defaultValue = "default", description = "ClickHouse user (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(names = "--password-env", defaultValue = "SPENDSTREAM_CH_PASSWORD",
      description = "Environment variable holding the ClickHouse password (default: ${DEFAULT-VALUE}; unset = empty).")
  String passwordEnv;

  @Option(names = "--database", defaultValue = "spendstream", description = "Database (default: ${DEFAULT-VALUE}).")
  String database;

  String password() {
    return System.getenv().getOrDefault(passwordEnv, "");
  }
}
