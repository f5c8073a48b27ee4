package io.spendstream.stream.replay;

import io.spendstream.pricing.PriceCatalog;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.json.AvroJson;
import io.spendstream.schemas.json.Json;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.kafka.TopicSerdes;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Offline backtesting: the production processor (its two stages, {@link ReplayDriver}, in-memory state) over a JSONL file
 * of calls in the documented JSON form, in file order, in event time only (no wall clock, no broker).
 * Writes priced.jsonl, windows.jsonl and alerts.jsonl in the records' JSON form; the same input always
 * gives byte-identical files.
 *
 * <p>At the end of the file nothing more can arrive: a tick far in the future closes every window and anomaly
 * bucket still open, exactly as time passing would in production.
 */
public final class Replay {
  private static final int SHOWN_BAD_LINES = 10;
  /** The end-of-file tick: later than any event time the contract allows (year 2200), far from overflow. */
  static final Instant END_OF_TIME = Instant.parse("2300-01-01T00:00:00Z");

  private Replay() {}

  public static ReplaySummary run(Path events, Path outDir, ProcessorConfig config, PriceCatalog catalog) {
    ProcessorTopics topics = ProcessorTopics.defaults();
    ProcessorMetrics metrics = new ProcessorMetrics();
    try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8);
         ParsedLines lines = new ParsedLines(in);
         Outputs out = new Outputs(outDir)) {
      Tally tally = new Tally(out);
      ReplayDriver driver = new ReplayDriver(topics, TopicSerdes.plain(), new Pricer(catalog), config, metrics, tally);
      long read = 0;
      long bad = 0;
      List<String> badLines = new ArrayList<>();
      ParsedLines.Line line;
      while ((line = lines.next()) != null) {
        if (line.valid()) {
          read++;
          driver.process(line.key(), line.value(), line.timestamp(), new RecordHeaders());
        } else {
          bad++;
          if (badLines.size() < SHOWN_BAD_LINES) {
            badLines.add("line " + line.number() + ": " + String.join("; ", line.errors().stream().map(Object::toString).toList()));
          }
        }
        tally.check();
      }
      long closedBefore = tally.windowCount();
      driver.process(null, null, END_OF_TIME.toEpochMilli(), new RecordHeaders().add(Topics.TICK_HEADER, new byte[0]));
      tally.check();
      long open = tally.windowCount() - closedBefore;
      driver.close();
      return new ReplaySummary(events, lines.total(), read, badLines, bad, metrics.priced.sum(), metrics.duplicates.sum(),
          metrics.deadLettered.sum(), metrics.unpriced.sum(), tally.costNanos,
          tally.first == Long.MAX_VALUE ? null : Instant.ofEpochMilli(tally.first),
          tally.last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(tally.last), tally.windowsBySize,
          open, tooLate(metrics, config), tally.alerts, tally.firstAlerts, outDir);
    } catch (IOException | UncheckedIOException e) {
      throw new UncheckedIOException("replay failed: " + e.getMessage(),
          e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
    }
  }

  private static Map<Duration, Long> tooLate(ProcessorMetrics m, ProcessorConfig config) {
    Map<Duration, Long> out = new LinkedHashMap<>();
    config.windows().sizes().forEach(s -> out.put(s, m.tooLate(s).sum()));
    return out;
  }

  /** Writes each output as the stages produce it, and keeps the figures for the summary. */
  private static final class Tally implements ReplayDriver.Sink {
    private final Outputs out;
    private IOException failed;
    long costNanos;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    final Map<Duration, Long> windowsBySize = new LinkedHashMap<>();
    final Map<AlertType, Long> alerts = new EnumMap<>(AlertType.class);
    final List<String> firstAlerts = new ArrayList<>();

    Tally(Outputs out) {
      this.out = out;
    }

    @Override
    public void priced(PricedCall p) {
      long ts = p.getCall().getTimestamp().toEpochMilli();
      first = Math.min(first, ts);
      last = Math.max(last, ts);
      costNanos = Math.addExact(costNanos, p.getCostNanos());
      write(out.priced, p);
    }

    @Override
    public void window(CostWindow w) {
      windowsBySize.merge(Duration.ofMillis(w.getWindowSizeMs()), 1L, Long::sum);
      write(out.windows, w);
    }

    @Override
    public void alert(Alert a) {
      alerts.merge(a.getType(), 1L, Long::sum);
      if (firstAlerts.size() < 5) {
        firstAlerts.add(AvroJson.timestamp(a.getDetectedAt()) + " " + a.getSeverity() + " " + a.getTenantId() + " "
            + a.getType() + ": " + a.getMessage());
      }
      write(out.alerts, a);
    }

    long windowCount() {
      return windowsBySize.values().stream().mapToLong(Long::longValue).sum();
    }

    private void write(BufferedWriter to, SpecificRecord r) {
      if (failed == null) {
        try {
          out.write(to, r);
        } catch (IOException e) {
          failed = e;
        }
      }
    }

    /** A failed write (disk full) ends the replay at the next line, with its cause. */
    void check() throws IOException {
      if (failed != null) {
        throw failed;
      }
    }
  }

  /** The three output files, written as the records come. */
  private static final class Outputs implements AutoCloseable {
    final BufferedWriter priced;
    final BufferedWriter windows;
    final BufferedWriter alerts;

    Outputs(Path dir) throws IOException {
      Files.createDirectories(dir);
      priced = Files.newBufferedWriter(dir.resolve("priced.jsonl"), StandardCharsets.UTF_8);
      windows = Files.newBufferedWriter(dir.resolve("windows.jsonl"), StandardCharsets.UTF_8);
      alerts = Files.newBufferedWriter(dir.resolve("alerts.jsonl"), StandardCharsets.UTF_8);
    }

    void write(BufferedWriter to, SpecificRecord r) throws IOException {
      to.write(Json.MAPPER.writeValueAsString(AvroJson.toJson(r)));
      to.write('\n');
    }

    @Override
    public void close() throws IOException {
      try (priced; windows; alerts) {
        // closes all three, even if one fails
      }
    }
  }
}
