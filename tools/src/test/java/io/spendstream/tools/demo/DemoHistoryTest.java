package io.spendstream.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.stream.config.ProcessorConfigLoader;
import io.spendstream.stream.replay.Replay;
import io.spendstream.stream.replay.ReplaySummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's history, through the processor with the demo's config (replay): each baseline detector fires on it. */
class DemoHistoryTest {
  @TempDir Path dir;

  @Test
  void theHistoryRaisesTheBaselineDetectorsWithTheDemoConfig() throws Exception {
    Instant now = Instant.now();
    List<ObjectNode> calls = new DemoHistory(7).calls("initech", now, DemoSetup.HISTORY_DAYS);
    assertThat(calls).allSatisfy(e -> assertThat(Instant.parse(e.get("timestamp").asText()))
        .as("within the gateway's 7 days").isAfter(now.minus(Duration.ofDays(7))).isBefore(now));
    Path events = dir.resolve("history.jsonl");
    Files.write(events, calls.stream().map(ObjectNode::toString).toList());
    ReplaySummary s = Replay.run(events, dir.resolve("out"), ProcessorConfigLoader.parse(DemoSetup.PROCESSOR_CONFIG, "demo"),
        PriceCatalogLoader.defaults());
    assertThat(s.badLineCount()).isZero();
    assertThat(s.alerts()).containsKeys(AlertType.CACHE_RATIO_REGRESSION, AlertType.PROMPT_GROWTH,
        AlertType.MODEL_MIX_SHIFT);
  }
}
