package io.spendstream.cli;

import io.spendstream.tools.bench.BenchInfra;
import io.spendstream.tools.reliability.Outcome;
import io.spendstream.tools.reliability.ReliabilitySuite;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream reliability}: the fault-injection suite over the whole pipeline, with its table. */
@Command(name = "reliability", mixinStandardHelpOptions = true,
    description = {"Runs the whole pipeline (Kafka, registry, ClickHouse endpoint, gateway, stream processor, sink, alert",
        "delivery to a local webhook receiver) on free ports under steady gateway load and, scenario by scenario, kills or",
        "stops one part: gateway, processor, sink, alerting (SIGKILL, restarted), the ClickHouse endpoint and the broker",
        "(stopped, restarted), a second processor instance with the first killed, bad input mixed in. Each scenario is",
        "its own tenant; it checks every acknowledged event is in llm_calls exactly once, one-minute windows equal the raw",
        "rows to the nano, every injected retry storm is alerted once and delivered. Prints the table; exit 0 when all pass,",
        "3 when any fails. Takes about 12 minutes."})
final class ReliabilityCommand implements Callable<Integer> {
  static final int FAILED = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--scenario", split = ",", description = "Run only these (default: all): bad-input, kill-gateway, kill-processor, tenant-id-collision, hostile-flood, hostile-edges,"
      + " kill-sink, kill-alerting, clickhouse-outage, broker-restart, two-processors.")
  List<String> scenarios = List.of();

  @Option(names = "--rate", defaultValue = "100", description = "Events per second through the gateway (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(names = "--before", defaultValue = "PT10S", description = "Load before the fault (default: ${DEFAULT-VALUE}).")
  Duration before;

  @Option(names = "--after", defaultValue = "PT10S", description = "Load after the fault (default: ${DEFAULT-VALUE}).")
  Duration after;

  @Option(names = "--outage", defaultValue = "PT20S", description = "How long the broker and ClickHouse stay down (default: ${DEFAULT-VALUE}).")
  Duration outage;

  @Option(names = "--work-dir", description = "Where the suite's stack keeps data and logs (default: a new temporary directory).")
  Path workDir;

  @Option(names = "--out", description = "Also write the Markdown table (with the machine and date) to this file.")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (rate < 1 || rate > 5_000) {
      throw new IllegalArgumentException("--rate must be 1..5000 events/s, got " + rate);
    }
    PrintWriter w = spec.commandLine().getOut();
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("spendstream-reliability");
    w.printf("spendstream reliability: stack and logs in %s%n", dir);
    w.flush();
    ReliabilitySuite.Settings settings = new ReliabilitySuite.Settings(rate, before, after, outage, Duration.ofMinutes(4));
    long t0 = System.nanoTime();
    List<Outcome> outcomes = new ReliabilitySuite(settings, w).run(dir, scenarios);
    String report = "Reliability suite, %s, %s, %d events/s, %.1f min:%n%n%s".formatted(Instant.now().toString().substring(0, 16) + "Z",
        BenchInfra.machine(), rate, (System.nanoTime() - t0) / 60e9, Outcome.table(outcomes));
    w.printf("%n%s", report);
    for (Outcome o : outcomes) {
      if (!o.passed()) {
        w.printf("%s FAILED: %s%n", o.scenario(), String.join("; ", o.problems()));
      }
    }
    w.flush();
    if (out != null) {
      Files.writeString(out, report);
    }
    return outcomes.stream().allMatch(Outcome::passed) ? 0 : FAILED;
  }
}
