package io.spendstream.cli;

import io.spendstream.cli.bench.GatewayBenchmark;
import io.spendstream.infra.kafka.KafkaBroker;
import io.spendstream.infra.kafka.KafkaOptions;
import io.spendstream.infra.process.Ports;
import io.spendstream.infra.registry.ApicurioRegistry;
import io.spendstream.infra.registry.RegistryOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream bench}: stage benchmarks with their bare baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks, each against a bare baseline in the same run.",
    subcommands = BenchCommand.Gateway.class)
final class BenchCommand {

  /** {@code spendstream bench gateway}. */
  @Command(name = "gateway", mixinStandardHelpOptions = true,
      description = {"Events/s acknowledged through the ingest gateway (its own process; load from wrk, HTTP batches of",
          "realistic events) vs a bare Kafka producer writing the same Avro records in the same run; p50/p99",
          "request latency; gateway memory. Starts its own Kafka and registry unless --kafka/--registry are given.",
          "Needs wrk (apt-get install wrk)."})
  static final class Gateway implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--duration", defaultValue = "PT30S", description = "Length of the timed run (default: ${DEFAULT-VALUE}).")
    java.time.Duration duration;

    @Option(names = "--batch", defaultValue = "500", description = "Events per request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--connections", defaultValue = "8", description = "Concurrent HTTP connections (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--kafka", description = "Use this running Kafka instead of starting one.")
    String kafka;

    @Option(names = "--registry", description = "Use this running registry (API root) instead of starting one.")
    String registry;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Path work = Files.createTempDirectory("spendstream-bench");
      KafkaBroker ownKafka = null;
      ApicurioRegistry ownRegistry = null;
      try {
        if (kafka == null) {
          out.println("starting Kafka ...");
          out.flush();
          ownKafka = KafkaBroker.start(KafkaOptions.of(Ports.ephemeral(), Ports.ephemeral(), work.resolve("kafka")),
              work.resolve("kafka.log"));
          kafka = ownKafka.bootstrapServers();
        }
        if (registry == null) {
          out.println("starting the schema registry ...");
          out.flush();
          ownRegistry = ApicurioRegistry.start(RegistryOptions.inMemory(Ports.ephemeral(), Ports.ephemeral(),
              work.resolve("registry.log")));
          registry = ownRegistry.ccompatUrl();
        }
        GatewayBenchmark.Result r = GatewayBenchmark.run(kafka, registry, work, duration, batch, connections, out);
        out.printf("%n| stage | events acked | rate (events/s) | bare producer (events/s) | ratio | p50 request | p99 request | gateway RSS / heap used |%n");
        out.printf("|---|---|---|---|---|---|---|---|%n");
        out.printf("| gateway, batches of %d, %d connections | %,d | %,.0f | %,.0f | %.0f%% | %.1f ms | %.1f ms | %d / %d MiB |%n",
            batch, connections, r.events(), r.gatewayEventsPerSecond(), r.bareEventsPerSecond(), r.ratio() * 100,
            r.p50Millis(), r.p99Millis(), r.gatewayRssBytes() >> 20, r.gatewayHeapBytes() >> 20);
        out.printf("machine: %d cores, %s %s, JVM %s%n", Runtime.getRuntime().availableProcessors(),
            System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        return 0;
      } finally {
        if (ownRegistry != null) {
          ownRegistry.close();
        }
        if (ownKafka != null) {
          ownKafka.close();
        }
      }
    }
  }
}
