package io.spendstream.stream.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.LatencyHistogram;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.stream.config.CatalogueConfig;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.state.avro.RouteSeries;
import io.spendstream.stream.windows.CostWindows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a tenant x route costs the catalogue in state, at its fullest with the default settings. */
class RouteStateTest {
  static CostWindow window(long start, String model, int calls) {
    CostWindow w = CostWindows.finish(CostWindows.empty(), start, start + 60_000);
    w.setTenantId("acme");
    w.setRoute("/v1/chat");
    w.setModel(model);
    w.setCalls(calls);
    w.setInputTokens(calls * 3_000L);
    w.setCacheReadInputTokens(calls * 20_000L);
    w.setCostNanos(calls * 25_000_000L);
    List<Long> h = new ArrayList<>();
    for (int i = 0; i < LatencyHistogram.BUCKETS; i++) {
      h.add(i >= 30 && i < 42 ? (long) calls : 0L); // a realistic spread: a dozen buckets in use
    }
    w.setLatencyHistogram(h);
    return w;
  }

  @Test
  void aBusyRouteWithThreeModelsKeepsAbout33Kilobytes() {
    CatalogueConfig c = CatalogueConfig.defaults();
    long t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS).minus(Duration.ofDays(10)).toEpochMilli();
    RouteSeries s = RouteState.empty("acme", "/v1/chat");
    long end = t0;
    for (long m = 0; m < Duration.ofDays(c.baselineDays() + 2).toMinutes(); m += 1) {
      long start = t0 + m * 60_000;
      for (String model : List.of("claude-sonnet-4-6", "claude-haiku-4-5", "claude-opus-4-7")) {
        RouteState.add(s, window(start, model, 40));
      }
      end = start + 60_000;
      RouteState.trim(s, end - Math.max(c.longestRouteWindow().toMillis(), RouteState.HOUR),
          end - (c.baselineDays() + 1L) * RouteChecks.DAY);
    }
    int bytes = InternalAvroSerde.of(RouteSeries.class).encode(s).length;
    assertThat(s.getMinutes()).hasSize(60);
    assertThat(s.getHours()).hasSize(24 * (c.baselineDays() + 1));
    // measured: 33,314 bytes, mostly the 192 hours' cost and calls per model (model names repeat in every hour);
    // a change that makes state grow (or shrink) shows up here
    assertThat(bytes).isBetween(30_000, 36_000);
  }
}
