package io.spendstream.stream.replay;

import com.fasterxml.jackson.databind.JsonNode;
import io.spendstream.pricing.PriceCatalog;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.CallKeys;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.json.AvroJson;
import io.spendstream.schemas.json.Json;
import io.spendstream.schemas.json.LlmCallJson;
import io.spendstream.schemas.json.ParseOptions;
import io.spendstream.schemas.json.ParseResult;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.ProcessorTopics;
import io.spendstream.stream.SpendTopology;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.errors.DeadLetterRoute;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.kafka.StoreKind;
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
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Offline backtesting: the production topology ({@link SpendTopology}, in-memory state) over a JSONL file
 * of calls in the documented JSON form, in file order, in event time only (no wall clock, no broker).
 * Writes priced.jsonl, windows.jsonl and alerts.jsonl in the records' JSON form; the same input always
 * gives byte-identical files.
 *
 * <p>At the end of the file nothing more can arrive: a tick far in the future closes every window and anomaly
 * bucket still open, exactly as time passing would in production.
 */
public final class Replay {
  private static final int SHOWN_BAD_LINES = 10;
  private static final int DRAIN_EVERY = 1000;
  /** The end-of-file tick: later than any event time the contract allows (year 2200), far from overflow. */
  private static final Instant END_OF_TIME = Instant.parse("2300-01-01T00:00:00Z");

  private Replay() {}

  public static ReplaySummary run(Path events, Path outDir, ProcessorConfig config, PriceCatalog catalog) {
    ProcessorTopics topics = ProcessorTopics.defaults();
    TopicSerdes serdes = TopicSerdes.plain();
    ProcessorMetrics metrics = new ProcessorMetrics();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "spendstream-replay");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "replay:9092");
    // as in production, a record a stage cannot process is counted (and logged with its reason), and replay goes on
    new DeadLetterRoute(topics.callsDlq(), deadLetter -> { }, metrics.deadLettered).install(props);
    InternalAvroSerde<LlmCall> callSerde = InternalAvroSerde.of(LlmCall.class);
    ParseOptions parse = ParseOptions.offline();
    try (TopologyTestDriver driver = new TopologyTestDriver(SpendTopology.build(topics, serdes, new Pricer(catalog), config,
             StoreKind.IN_MEMORY, metrics, 1), props);
         BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8);
         Outputs out = new Outputs(outDir)) {
      TestInputTopic<byte[], byte[]> calls = driver.createInputTopic(topics.calls(), new ByteArraySerializer(),
          new ByteArraySerializer());
      Drain drain = new Drain(driver, topics, serdes, out);
      long lineNo = 0;
      long read = 0;
      long bad = 0;
      List<String> badLines = new ArrayList<>();
      String line;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        ParseResult r;
        try {
          JsonNode node = Json.MAPPER.readTree(line);
          r = LlmCallJson.parse(node, parse);
        } catch (IOException e) {
          r = new ParseResult.Invalid(List.of(new io.spendstream.schemas.json.FieldError("$", "not valid JSON: "
              + e.getMessage().lines().findFirst().orElse(""))));
        }
        switch (r) {
          case ParseResult.Valid v -> {
            read++;
            LlmCall c = v.call();
            calls.pipeInput(CallKeys.bytes(c), callSerde.encode(c), c.getTimestamp());
          }
          case ParseResult.Invalid i -> {
            bad++;
            if (badLines.size() < SHOWN_BAD_LINES) {
              badLines.add("line " + lineNo + ": " + String.join("; ", i.errors().stream().map(Object::toString).toList()));
            }
          }
        }
        if (lineNo % DRAIN_EVERY == 0) {
          drain.all();
        }
      }
      drain.all();
      long closedBefore = drain.windowsBySize.values().stream().mapToLong(Long::longValue).sum();
      calls.pipeInput(new TestRecord<>(null, null, new RecordHeaders().add(Topics.TICK_HEADER, new byte[0]), END_OF_TIME));
      drain.all();
      long open = drain.windowsBySize.values().stream().mapToLong(Long::longValue).sum() - closedBefore;
      return new ReplaySummary(events, lineNo, read, badLines, bad, metrics.priced.sum(), metrics.duplicates.sum(),
          metrics.deadLettered.sum(), metrics.unpriced.sum(), drain.costNanos,
          drain.first == Long.MAX_VALUE ? null : Instant.ofEpochMilli(drain.first),
          drain.last == Long.MIN_VALUE ? null : Instant.ofEpochMilli(drain.last), drain.windowsBySize,
          open, tooLate(metrics, config), drain.alerts, drain.firstAlerts, outDir);
    } catch (IOException e) {
      throw new UncheckedIOException("replay failed: " + e.getMessage(), e);
    }
  }

  private static Map<Duration, Long> tooLate(ProcessorMetrics m, ProcessorConfig config) {
    Map<Duration, Long> out = new LinkedHashMap<>();
    config.windows().sizes().forEach(s -> out.put(s, m.tooLate(s).sum()));
    return out;
  }

  /** Moves what the topology produced so far into the files, and keeps the figures for the summary. */
  private static final class Drain {
    private final TestOutputTopic<String, PricedCall> priced;
    private final TestOutputTopic<String, CostWindow> windows;
    private final TestOutputTopic<String, Alert> alertsTopic;
    private final Outputs out;
    long costNanos;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    final Map<Duration, Long> windowsBySize = new LinkedHashMap<>();
    final Map<AlertType, Long> alerts = new EnumMap<>(AlertType.class);
    final List<String> firstAlerts = new ArrayList<>();

    Drain(TopologyTestDriver d, ProcessorTopics topics, TopicSerdes serdes, Outputs out) {
      this.priced = d.createOutputTopic(topics.priced(), new StringDeserializer(), serdes.priced().deserializer());
      this.windows = d.createOutputTopic(topics.windows(), new StringDeserializer(), serdes.windows().deserializer());
      this.alertsTopic = d.createOutputTopic(topics.alerts(), new StringDeserializer(), serdes.alerts().deserializer());
      this.out = out;
    }

    void all() throws IOException {
      for (PricedCall p : priced.readValuesToList()) {
        long ts = p.getCall().getTimestamp().toEpochMilli();
        first = Math.min(first, ts);
        last = Math.max(last, ts);
        costNanos = Math.addExact(costNanos, p.getCostNanos());
        out.write(out.priced, p);
      }
      for (CostWindow w : windows.readValuesToList()) {
        windowsBySize.merge(Duration.ofMillis(w.getWindowSizeMs()), 1L, Long::sum);
        out.window(w);
      }
      for (Alert a : alertsTopic.readValuesToList()) {
        alerts.merge(a.getType(), 1L, Long::sum);
        if (firstAlerts.size() < 5) {
          firstAlerts.add(AvroJson.timestamp(a.getDetectedAt()) + " " + a.getSeverity() + " " + a.getTenantId() + " "
              + a.getType() + ": " + a.getMessage());
        }
        out.write(out.alerts, a);
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

    void window(CostWindow w) throws IOException {
      write(windows, w);
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
