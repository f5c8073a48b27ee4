package io.spendstream.stream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.json.AvroJson;
import io.spendstream.schemas.json.Json;
import io.spendstream.schemas.json.LlmCallJson;
import io.spendstream.schemas.json.ParseOptions;
import io.spendstream.schemas.json.ParseResult;
import io.spendstream.stream.Driver;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.SpendTopology;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.config.ProcessorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
  @TempDir Path dir;

  /** Three hours of two tenants, a retry storm at 09:30, a 10x spike on /search at 10:40, duplicates, bad lines. */
  static List<String> traffic() {
    Random r = new Random(11);
    List<String> lines = new ArrayList<>();
    Instant t0 = Instant.parse("2026-11-23T08:00:00Z");
    int id = 0;
    for (int s = 0; s < 3 * 3600; s += 20) {
      for (String tenant : List.of("acme", "beta")) {
        for (String route : List.of("/chat", "/search")) {
          int in = 2000 + r.nextInt(1000);
          if (route.equals("/search") && tenant.equals("acme") && s >= 9600 && s < 9900) {
            in *= 10;
          }
          lines.add(event("e" + (++id), t0.plusSeconds(s).plusMillis(r.nextInt(1000)), tenant, route, in, 200 + r.nextInt(100),
              null, 200));
        }
      }
      if (s == 5400) {
        for (int i = 0; i < 7; i++) {
          lines.add(event("storm" + i, t0.plusSeconds(5400 + i * 5), "beta", "/agent", 5000, 0, "3f9a0c1d2e4b5a69", 529));
        }
      }
      if (s == 40) {
        lines.add(lines.getLast()); // a duplicate
        lines.add("{\"event_id\": \"broken\", \"timestamp\": ");
        lines.add(event("neg", t0.plusSeconds(s), "acme", "/chat", -1, 10, null, 200));
      }
    }
    lines.add("");
    // 2 h 50 min late: priced, but both its minute and its hour have closed ($3/MTok x 1000 = 3,000,000 nano-USD)
    lines.add(event("late", t0.plusSeconds(600), "acme", "/chat", 1000, 0, null, 200));
    lines.add(event("unknown", t0.plusSeconds(7000), "acme", "/chat", 100, 10, null, 200)
        .replace("claude-sonnet-4-6", "claude-next-1"));
    return lines;
  }

  static String event(String id, Instant at, String tenant, String route, int in, int out, String hash, int status) {
    return "{\"event_id\":\"" + id + "\",\"timestamp\":\"" + at + "\",\"tenant_id\":\"" + tenant
        + "\",\"model\":\"claude-sonnet-4-6\",\"route\":\"" + route + "\",\"latency_ms\":800,\"status_code\":" + status
        + (status >= 400 ? ",\"error_type\":\"overloaded_error\"" : "")
        + (hash == null ? "" : ",\"prompt_hash\":\"" + hash + "\"")
        + ",\"usage\":{\"input_tokens\":" + in + ",\"output_tokens\":" + out + "}}";
  }

  private ReplaySummary replay(Path events, String out) {
    return Replay.run(events, dir.resolve(out), ProcessorConfig.defaults(), PriceCatalogLoader.defaults());
  }

  @Test
  void replayFindsTheStormTheSpikeAndTheUnpricedModelAndIsByteIdenticalOnRerun() throws IOException {
    Path events = dir.resolve("calls.jsonl");
    Files.write(events, traffic());
    ReplaySummary s = replay(events, "a");
    assertThat(s.badLineCount()).isEqualTo(2);
    assertThat(s.badLines()).hasSize(2);
    assertThat(s.badLines().get(0)).startsWith("line ").contains("not valid JSON");
    assertThat(s.badLines().get(1)).contains("input_tokens");
    assertThat(s.duplicates()).isEqualTo(1);
    assertThat(s.unpriced()).isEqualTo(1);
    assertThat(s.alerts()).containsEntry(AlertType.RETRY_STORM, 1L).containsEntry(AlertType.UNPRICED_MODEL, 1L)
        .containsEntry(AlertType.COST_ANOMALY, 1L);

    List<JsonNode> alerts = read(dir.resolve("a/alerts.jsonl"));
    JsonNode anomaly = alerts.stream().filter(a -> a.get("type").asText().equals("cost_anomaly")).findFirst().orElseThrow();
    assertThat(anomaly.get("tenant_id").asText()).isEqualTo("acme");
    assertThat(anomaly.get("route").asText()).isEqualTo("/search");
    JsonNode storm = alerts.stream().filter(a -> a.get("type").asText().equals("retry_storm")).findFirst().orElseThrow();
    assertThat(storm.get("detected_at").asText()).isEqualTo("2026-11-23T09:30:25.000Z");

    // every priced nano is in the windows of each size, except the one call that came too late
    long priced = read(dir.resolve("a/priced.jsonl")).stream().mapToLong(p -> p.get("cost_nanos").asLong()).sum();
    assertThat(priced).isEqualTo(s.costNanos()).isPositive();
    List<JsonNode> windows = read(dir.resolve("a/windows.jsonl"));
    for (long size : List.of(60_000L, 3_600_000L)) {
      assertThat(windows.stream().filter(w -> w.get("window_size_ms").asLong() == size)
          .mapToLong(w -> w.get("cost_nanos").asLong()).sum()).isEqualTo(priced - 3_000_000L);
    }
    assertThat(s.windowsOpenAtEnd()).isPositive();
    // the late call and the unpriced call (09:56:40, appended after 10:59) came after both their windows closed
    assertThat(s.tooLate()).containsEntry(Duration.ofMinutes(1), 2L).containsEntry(Duration.ofHours(1), 2L);

    replay(events, "b");
    for (String f : List.of("priced.jsonl", "windows.jsonl", "alerts.jsonl")) {
      assertThat(Files.readAllBytes(dir.resolve("b").resolve(f))).as(f).isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(f)));
    }
    assertThat(s.render()).contains("2 bad lines skipped", "RETRY_STORM 1", "1 duplicates dropped");
  }

  /** Replay drives the two stages directly; the topology test driver runs the built topology: same files. */
  @Test
  void replayWritesExactlyWhatTheTopologyWrites() throws IOException {
    Path events = dir.resolve("calls.jsonl");
    Files.write(events, traffic());
    replay(events, "direct");
    ProcessorMetrics m = new ProcessorMetrics();
    List<String> priced = new ArrayList<>();
    List<String> windows = new ArrayList<>();
    List<String> alerts = new ArrayList<>();
    try (Driver d = new Driver(SpendTopology.build(Driver.TOPICS, Driver.SERDES, new Pricer(PriceCatalogLoader.defaults()),
        ProcessorConfig.defaults(), StoreKind.IN_MEMORY, m, 1), m)) {
      for (String line : traffic()) {
        JsonNode node;
        try {
          node = Json.MAPPER.readTree(line);
        } catch (IOException notJson) {
          continue; // the bad lines replay skips
        }
        if (LlmCallJson.parse(node, ParseOptions.offline()) instanceof ParseResult.Valid v) {
          d.send(v.call());
        }
      }
      d.driver.createInputTopic(Driver.TOPICS.calls(), new ByteArraySerializer(), new ByteArraySerializer())
          .pipeInput(new TestRecord<>(null, null, new RecordHeaders().add(Topics.TICK_HEADER, new byte[0]),
              Replay.END_OF_TIME));
      for (var p : d.priced()) {
        priced.add(Json.MAPPER.writeValueAsString(AvroJson.toJson(p)));
      }
      for (var w : d.windows()) {
        windows.add(Json.MAPPER.writeValueAsString(AvroJson.toJson(w)));
      }
      for (var a : d.alerts()) {
        alerts.add(Json.MAPPER.writeValueAsString(AvroJson.toJson(a)));
      }
    }
    assertThat(Files.readAllLines(dir.resolve("direct/priced.jsonl"))).isEqualTo(priced).isNotEmpty();
    assertThat(Files.readAllLines(dir.resolve("direct/windows.jsonl"))).isEqualTo(windows).isNotEmpty();
    assertThat(Files.readAllLines(dir.resolve("direct/alerts.jsonl"))).isEqualTo(alerts).isNotEmpty();
  }

  private static List<JsonNode> read(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String l : Files.readAllLines(file)) {
      out.add(Json.MAPPER.readTree(l));
    }
    return out;
  }
}
