package io.spendstream.stream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.json.Json;
import io.spendstream.stream.config.ProcessorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A week of history and a day of incidents through replay (event time only, no wall clock): the baseline detectors
 * see 7 days of hourly aggregates and fire on the eighth day, and a rerun writes the same alerts byte for byte.
 */
class ReplayCatalogueTest {
  @TempDir Path dir;

  static String call(String id, Instant at, String route, String model, int in, int cacheRead) {
    return "{\"event_id\":\"" + id + "\",\"timestamp\":\"" + at + "\",\"tenant_id\":\"acme\",\"model\":\"" + model
        + "\",\"route\":\"" + route + "\",\"latency_ms\":900,\"status_code\":200,\"usage\":{\"input_tokens\":" + in
        + ",\"output_tokens\":200,\"cache_read_input_tokens\":" + cacheRead + "}}";
  }

  @Test
  void aWeekOfHistoryThenCacheLossPromptGrowthAndAnOpusMoveAreCaughtOnTheEighthDay() throws IOException {
    Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(20));
    Instant incident = start.plus(Duration.ofDays(7));
    List<String> lines = new ArrayList<>();
    int id = 0;
    for (int h = 0; h < 8 * 24; h++) {
      boolean today = h >= 7 * 24;
      for (int i = 0; i < 5; i++) { // 120 calls a day per route: over prompt growth's minimum of 100
        Instant at = start.plus(Duration.ofHours(h)).plus(Duration.ofMinutes(i * 12L));
        // /rag: 90 % of the input side from the cache, until the eighth day's prompts stop hitting it
        lines.add(call("r" + (++id), at, "/rag", "claude-sonnet-4-6", today ? 100_000 : 10_000, today ? 0 : 90_000));
        // /ctx: prompts of 20k tokens, 40k on the eighth day
        lines.add(call("c" + (++id), at, "/ctx", "claude-sonnet-4-6", today ? 40_000 : 20_000, 0));
        // /mix: Sonnet, moved to Opus on the eighth day
        lines.add(call("m" + (++id), at, "/mix", today ? "claude-opus-4-7" : "claude-sonnet-4-6", 2_000, 0));
      }
    }
    Path events = dir.resolve("week.jsonl");
    Files.write(events, lines);
    ReplaySummary s = Replay.run(events, dir.resolve("a"), ProcessorConfig.defaults(), PriceCatalogLoader.defaults());
    assertThat(s.alerts()).containsKeys(AlertType.CACHE_RATIO_REGRESSION, AlertType.PROMPT_GROWTH,
        AlertType.MODEL_MIX_SHIFT);
    List<JsonNode> alerts = new ArrayList<>();
    for (String l : Files.readAllLines(dir.resolve("a/alerts.jsonl"))) {
      alerts.add(Json.MAPPER.readTree(l));
    }
    assertThat(alerts).filteredOn(a -> a.get("type").asText().equals("cache_ratio_regression")).first().satisfies(a -> {
      assertThat(a.get("route").asText()).isEqualTo("/rag");
      assertThat(Instant.parse(a.get("detected_at").asText())).isAfter(incident).isBefore(incident.plus(Duration.ofHours(2)));
    });
    assertThat(alerts).filteredOn(a -> a.get("type").asText().equals("model_mix_shift"))
        .allSatisfy(a -> assertThat(a.get("route").asText()).isEqualTo("/mix"))
        .first().satisfies(a -> assertThat(Instant.parse(a.get("detected_at").asText()))
            .isEqualTo(incident.plus(Duration.ofHours(1))));
    assertThat(alerts).filteredOn(a -> a.get("type").asText().equals("prompt_growth")).singleElement().satisfies(a -> {
      assertThat(a.get("route").asText()).isEqualTo("/ctx");
      assertThat(Instant.parse(a.get("detected_at").asText())).isAfter(incident).isBefore(incident.plus(Duration.ofDays(1)));
    });
    assertThat(alerts).as("nothing fires on the week of steady history")
        .allSatisfy(a -> assertThat(Instant.parse(a.get("detected_at").asText())).isAfter(incident));

    Replay.run(events, dir.resolve("b"), ProcessorConfig.defaults(), PriceCatalogLoader.defaults());
    assertThat(Files.readAllBytes(dir.resolve("b/alerts.jsonl"))).isEqualTo(Files.readAllBytes(dir.resolve("a/alerts.jsonl")));
  }
}
