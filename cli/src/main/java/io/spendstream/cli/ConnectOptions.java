package io.spendstream.cli;

import picocli.CommandLine.Option;

/** Where a service finds Kafka and the schema registry (defaults: the local stack of 'spendstream up'). */
final class ConnectOptions {
  @Option(names = "--kafka", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String kafka;

  @Option(names = "--registry", defaultValue = "http://127.0.0.1:8080/apis/ccompat/v7",
      description = "Schema registry API root (default: ${DEFAULT-VALUE}).")
  String registry;
}
