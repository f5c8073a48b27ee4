package io.spendstream.cli;

import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.stream.config.ProcessorConfigLoader;
import io.spendstream.stream.replay.Replay;
import io.spendstream.stream.replay.ReplaySummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream replay}: the production topologies over a file of past calls, offline. */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = {"Backtests thresholds: runs exactly the stream processor's topologies in-process (no broker) over",
        "a JSONL file of calls in the documented JSON form, in file order and event time only, and writes",
        "priced.jsonl, windows.jsonl and alerts.jsonl to --out. The same input gives byte-identical output.",
        "Exit code 0 when every line was read, 3 when bad lines were skipped (each reported with its number)."},
    footer = {"", "Example:",
        "  spendstream replay --events calls.jsonl --config my-thresholds.yaml --out replay-out"})
final class ReplayCommand implements Callable<Integer> {
  static final int SKIPPED_LINES = 3;

  @Spec
  CommandSpec spec;

  @Option(names = "--events", required = true, description = "JSONL file, one call per line.")
  Path events;

  @Option(names = "--out", required = true, description = "Directory for priced.jsonl, windows.jsonl, alerts.jsonl.")
  Path out;

  @Option(names = "--config", description = "Processor config (YAML). Default: built-in defaults.")
  Path config;

  @Option(names = "--prices", description = "Price catalog file. Default: $SPENDSTREAM_PRICES, else the built-in catalog.")
  Path prices;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(events)) {
      throw new IllegalArgumentException("--events: no such file: " + events);
    }
    long t0 = System.nanoTime();
    ReplaySummary s = Replay.run(events, out, ProcessorConfigLoader.loadOrDefault(config),
        PriceCatalogLoader.loadOrDefault(PriceCommand.catalogFile(prices)));
    double secs = (System.nanoTime() - t0) / 1e9;
    spec.commandLine().getOut().print(s.render());
    spec.commandLine().getOut().printf("  took        %.1f s (%,.0f events/s)%n", secs, s.eventsRead() / Math.max(secs, 1e-9));
    spec.commandLine().getOut().flush();
    return s.badLineCount() > 0 ? SKIPPED_LINES : 0;
  }
}
