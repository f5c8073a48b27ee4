package io.spendstream.cli;

import io.spendstream.tools.bench.BenchInfra;
import io.spendstream.tools.bench.BenchReport;
import io.spendstream.tools.bench.BenchWorkDir;
import io.spendstream.tools.bench.CodecBenchmark;
import io.spendstream.tools.bench.GatewayBenchmark;
import io.spendstream.tools.bench.ProcessorBenchmark;
import io.spendstream.tools.bench.SinkBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream bench}: stage benchmarks with their bare baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks, each against a bare baseline in the same run.",
    subcommands = {BenchCommand.Gateway.class, BenchCommand.Processor.class, BenchCommand.SinkBench.class, BenchCommand.Codecs.class,
        BenchCommand.All.class})
final class BenchCommand {
  /** Where the benchmarks find Kafka and the registry. */
  static final class Infra {
    @Option(names = "--kafka", description = "Use this running Kafka instead of starting one.")
    String kafka;

    @Option(names = "--registry", description = "Use this running registry (API root) instead of starting one.")
    String registry;

    BenchInfra start(Path work, PrintWriter out) {
      return BenchInfra.start(kafka, registry, work, out);
    }
  }

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

    @Mixin
    Infra infra;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (BenchWorkDir dir = BenchWorkDir.create(); BenchInfra running = infra.start(dir.path(), out)) {
        Path work = dir.path();
        GatewayBenchmark.Result r = GatewayBenchmark.run(running.kafka, running.registry, work, duration, batch, connections, out);
        out.printf("%n| stage | events acked | rate (events/s) | bare producer (events/s) | ratio | p50 request | p99 request | gateway RSS / heap used |%n");
        out.printf("|---|---|---|---|---|---|---|---|%n");
        out.printf("| gateway, batches of %d, %d connections | %,d | %,.0f | %,.0f | %.0f%% | %.1f ms | %.1f ms | %d / %d MiB |%n",
            batch, connections, r.events(), r.gatewayEventsPerSecond(), r.bareEventsPerSecond(), r.ratio() * 100,
            r.p50Millis(), r.p99Millis(), r.gatewayRssBytes() >> 20, r.gatewayHeapBytes() >> 20);
        out.printf("machine: %s%n", BenchInfra.machine());
        return 0;
      }
    }
  }

  /** {@code spendstream bench processor}. */
  @Command(name = "processor", mixinStandardHelpOptions = true,
      description = {"Events/s through all stream-processor topologies (exactly_once_v2, RocksDB) vs a bare Kafka Streams",
          "1-minute count+sum over the same input in the same run; then retry-storm alert latency (wall time from",
          "producing the crossing call to the alert on the alert topic) under background load.",
          "Starts its own Kafka and registry unless --kafka/--registry are given."})
  static final class Processor implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "300000", description = "Calls in the throughput run (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--partitions", defaultValue = "3", description = "Partitions of the topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--background-rate", defaultValue = "0",
        description = "Background events/s during the latency run; 0 = min(50,000, half the measured throughput).")
    double background;

    @Option(names = "--storms", defaultValue = "30", description = "Storms in the latency run (default: ${DEFAULT-VALUE}).")
    int storms;

    @Option(names = "--rounds", defaultValue = "3",
        description = "Bare and full runs alternate this many times; medians are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Mixin
    Infra infra;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (BenchWorkDir dir = BenchWorkDir.create(); BenchInfra running = infra.start(dir.path(), out)) {
        Path work = dir.path();
        var r = ProcessorBenchmark.run(running.kafka, running.registry, work, events, partitions,
            background, storms, rounds, out);
        out.printf("%n| stage | events | rate (events/s) | bare Kafka Streams (events/s) | ratio |%n|---|---|---|---|---|%n");
        out.printf("| stream processor, all topologies, exactly_once_v2, %d partitions | %,d | %,.0f | %,.0f | %s |%n",
            partitions, r.events(), r.fullRate(), r.bareRate(), BenchReport.ratioCell(r));
        out.printf("| pricing topology alone (decode, dedupe, price, write priced): the ceiling | %,d | %,.0f | %,.0f | %s |%n",
            r.events(), r.pricingRate(), r.bareRate(), BenchReport.pricingRatioCell(r));
        out.printf("%n| retry-storm alert latency | background load (events/s) | storms alerted | p50 | p99 | max |%n"
            + "|---|---|---|---|---|---|%n");
        out.printf("| produce crossing call -> alert on topic | %,.0f | %d / %d | %.0f ms | %.0f ms | %.0f ms |%n",
            r.backgroundRate(), r.alerted(), r.storms(), r.p50Millis(), r.p99Millis(), r.maxMillis());
        out.printf("machine: %s%n", BenchInfra.machine());
        return r.alerted() == r.storms() ? 0 : 1;
      }
    }
  }

  /** {@code spendstream bench sink}. */
  @Command(name = "sink", mixinStandardHelpOptions = true,
      description = {"Rows/s from llm.calls.priced.v1 into ClickHouse's llm_calls through the sink vs a bare insert of the same",
          "rows with the same client and format in the same run; then freshness: a call produced to llm.calls.v1 until it",
          "is visible in llm_calls, through the stream processor and the sink (p50/p99). Starts its own Kafka, registry",
          "and ClickHouse endpoint unless --kafka/--registry/--clickhouse are given."})
  static final class SinkBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "200000", description = "Rows in the throughput run (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--fresh-calls", defaultValue = "300", description = "Calls in the freshness run (default: ${DEFAULT-VALUE}).")
    int fresh;

    @Option(names = "--clickhouse", description = "Use this ClickHouse HTTP endpoint (user default, no password).")
    String clickhouse;

    @Mixin
    Infra infra;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      try (BenchWorkDir dir = BenchWorkDir.create(); BenchInfra running = infra.start(dir.path(), out)) {
        Path work = dir.path();
        String ch = running.clickhouse(clickhouse, work, out);
        var r = SinkBenchmark.run(running.kafka, running.registry, ch, work, rows, fresh, out);
        out.printf("%n| stage | rows | rate (rows/s) | bare insert, same client, JSONEachRow (rows/s) | ratio | bare insert, RowBinary (rows/s) |%n"
            + "|---|---|---|---|---|---|%n");
        out.printf("| sink, llm.calls.priced.v1 -> llm_calls, JSONEachRow, batches <= 10,000 rows | %,d | %,.0f | %,.0f | %.0f%% | %,.0f |%n",
            r.rows(), r.sinkRate(), r.bareRate(), r.ratio() * 100, r.bareRowBinaryRate());
        out.printf("%n| freshness | calls | p50 | p99 | max |%n|---|---|---|---|---|%n");
        out.printf("| produced to llm.calls.v1 -> visible in llm_calls (processor + sink) | %d | %.0f ms | %.0f ms | %.0f ms |%n",
            r.fresh(), r.p50Millis(), r.p99Millis(), r.maxMillis());
        out.printf("machine: %s%n", BenchInfra.machine());
        return r.fresh() == fresh ? 0 : 1;
      }
    }
  }

  /** {@code spendstream bench codecs}. */
  @Command(name = "codecs", mixinStandardHelpOptions = true,
      description = {"The stream processor's varint state codecs vs Avro for the same records (task partial and task run):",
          "Avro's reflective writer/reader and its generated custom coders, beside a bare baseline (a builder copy) in the",
          "same run. Encode and decode ns per record (medians of --rounds), bytes per record, bytes allocated per round",
          "trip. No Kafka needed; takes about a minute."})
  static final class Codecs implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--records", defaultValue = "200000", description = "Records per round (default: ${DEFAULT-VALUE}).")
    int records;

    @Option(names = "--rounds", defaultValue = "7", description = "Timed rounds after three warm-up rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      out.print(CodecBenchmark.markdown(CodecBenchmark.run(records, rounds)));
      out.printf("machine: %s%n", BenchInfra.machine());
      return 0;
    }
  }

  /** {@code spendstream bench all}: every stage, one table. */
  @Command(name = "all", mixinStandardHelpOptions = true,
      description = {"Runs the gateway, stream processor and sink benchmarks (which include end-to-end freshness and retry-storm",
          "alert latency), each with its bare baseline in the same run and its own fresh Kafka/registry/ClickHouse, and",
          "writes one Markdown table (bench/run keeps it in bench/RESULTS.md). Needs wrk. Takes about 10 minutes."})
  static final class All implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", description = "Also write the table to this file.")
    Path outFile;

    @Option(names = "--gateway-duration", defaultValue = "PT30S", description = "Gateway run length (default: ${DEFAULT-VALUE}).")
    java.time.Duration gatewayDuration;

    @Option(names = "--events", defaultValue = "300000", description = "Calls in the processor run (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--rows", defaultValue = "200000", description = "Rows in the sink run (default: ${DEFAULT-VALUE}).")
    int rows;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      int batch = 500;
      int connections = 8;
      int partitions = 3;
      GatewayBenchmark.Result g = stage("gateway", out, (infra, work) ->
          GatewayBenchmark.run(infra.kafka, infra.registry, work, gatewayDuration, batch, connections, out));
      ProcessorBenchmark.Result p = stage("stream processor", out, (infra, work) ->
          ProcessorBenchmark.run(infra.kafka, infra.registry, work, events, partitions, 0, 30, 3, out));
      SinkBenchmark.Result s = stage("sink", out, (infra, work) ->
          SinkBenchmark.run(infra.kafka, infra.registry, infra.clickhouse(null, work, out), work, rows, 300, out));
      String table = BenchReport.markdown(Instant.now().toString().substring(0, 16) + "Z",
          BenchInfra.machine(), g, batch, connections, p, partitions, s);
      out.printf("%n%s", table);
      out.flush();
      if (outFile != null) {
        Files.writeString(outFile, table);
      }
      return p.alerted() == p.storms() && s.fresh() == 300 ? 0 : 1;
    }

    /** One benchmark on its own fresh infrastructure, so that no stage measures another's leftovers. */
    private static <R> R stage(String name, PrintWriter out, Stage<R> run) throws Exception {
      out.println("== " + name);
      out.flush();
      try (BenchWorkDir dir = BenchWorkDir.create(); BenchInfra infra = BenchInfra.start(null, null, dir.path(), out)) {
        return run.run(infra, dir.path());
      }
    }

    @FunctionalInterface
    private interface Stage<R> {
      R run(BenchInfra infra, Path work) throws Exception;
    }
  }
}
