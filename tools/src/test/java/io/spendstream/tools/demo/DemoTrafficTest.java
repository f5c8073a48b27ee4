package io.spendstream.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoTrafficTest {
  private static final Duration TICK = Duration.ofMillis(200);
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

  private static List<ObjectNode> run(DemoTraffic t, Duration from, Duration to) {
    List<ObjectNode> all = new ArrayList<>();
    for (Duration e = from.plus(TICK); e.compareTo(to) <= 0; e = e.plus(TICK)) {
      all.addAll(t.tick(e, TICK, NOW));
    }
    return all;
  }

  @Test
  void rateFollowsACompressedDayAroundTheBaseRate() {
    DemoTraffic t = new DemoTraffic(List.of("a", "b", "c"), 20, Duration.ofMinutes(10), Duration.ofHours(1), 1);
    assertThat(t.rateAt(Duration.ZERO)).isCloseTo(12, org.assertj.core.data.Offset.offset(0.01));
    assertThat(t.rateAt(Duration.ofMinutes(5))).isCloseTo(28, org.assertj.core.data.Offset.offset(0.01));
    // a whole day averages the base rate: 10 min x 20/s = 12,000 events, give or take the last fraction
    assertThat(run(t, Duration.ZERO, Duration.ofMinutes(10))).hasSizeBetween(11_990, 12_000);
  }

  @Test
  void afterTheWarmupComeAStormASpikeAndARunawayTask() {
    DemoTraffic t = new DemoTraffic(List.of("acme", "globex", "initech"), 10, Duration.ofMinutes(10), Duration.ofSeconds(30), 3);
    List<ObjectNode> before = run(t, Duration.ZERO, Duration.ofSeconds(30));
    List<ObjectNode> after = run(t, Duration.ofSeconds(30), Duration.ofSeconds(200));
    Map<String, Integer> hashes = new HashMap<>();
    after.forEach(e -> hashes.merge(e.get("tenant_id").asText() + "|" + e.get("prompt_hash").asText(), 1, Integer::sum));
    assertThat(hashes.values()).contains(15);
    assertThat(before).noneMatch(e -> e.path("error_type").asText().equals("overloaded_error"));
    assertThat(after).filteredOn(e -> e.path("error_type").asText().equals("overloaded_error")).hasSize(15)
        .allMatch(e -> e.get("tenant_id").asText().equals("acme") && e.at("/usage/output_tokens").asLong() == 0);
    assertThat(after).filteredOn(e -> e.get("route").asText().equals(DemoTraffic.SPIKE_ROUTE)
        && e.get("model").asText().equals("claude-opus-4-7") && e.get("tenant_id").asText().equals("globex")).hasSizeGreaterThan(50);
    List<ObjectNode> runaway = after.stream().filter(e -> e.path("task_id").asText().startsWith("runaway-agent")).toList();
    assertThat(runaway).hasSize(180).allMatch(e -> e.get("tenant_id").asText().equals("initech"));
    assertThat(runaway.getLast().at("/usage/input_tokens").asLong()).isEqualTo(4_000 + 180 * 8_000);
    assertThat(after).extracting(e -> e.get("event_id").asText()).doesNotHaveDuplicates();
  }

  /** Each catalogue incident is alone on its route, so ordinary traffic cannot hide it (a success ends an outage). */
  @Test
  void theCatalogueIncidentsHaveTheirRoutesToThemselves() {
    DemoTraffic t = new DemoTraffic(List.of("acme", "globex", "initech"), 20, Duration.ofMinutes(10), Duration.ofSeconds(30), 5);
    List<ObjectNode> all = run(t, Duration.ZERO, Duration.ofSeconds(90));
    Map<String, List<ObjectNode>> byRoute = new HashMap<>();
    all.forEach(e -> byRoute.computeIfAbsent(e.get("route").asText(), k -> new ArrayList<>()).add(e));
    assertThat(byRoute.get(DemoTraffic.OUTAGE_ROUTE)).hasSize(25)
        .allSatisfy(e -> assertThat(e.get("status_code").asInt()).isEqualTo(500));
    assertThat(byRoute.get(DemoTraffic.FLAKY_ROUTE)).hasSize(25)
        .filteredOn(e -> e.get("status_code").asInt() == 500).hasSize(13);
    assertThat(byRoute.get(DemoTraffic.SLOW_ROUTE)).hasSize(25)
        .allSatisfy(e -> assertThat(e.get("latency_ms").asInt()).isEqualTo(30_000));
    assertThat(byRoute.get(DemoTraffic.CUT_ROUTE)).hasSize(25)
        .allSatisfy(e -> assertThat(e.get("stop_reason").asText()).isEqualTo("max_tokens"));
    assertThat(byRoute.get(DemoTraffic.LIMITED_ROUTE)).hasSize(3)
        .allSatisfy(e -> assertThat(e.get("status_code").asInt()).isEqualTo(429));
  }
}
