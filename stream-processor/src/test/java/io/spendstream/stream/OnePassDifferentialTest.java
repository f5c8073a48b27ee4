package io.spendstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.kafka.StoreKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.kafka.streams.Topology;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same random input through the processor before the one-pass design ({@link LegacySpendTopology}) and the
 * one-pass topology: priced output identical in order; windows and alerts identical after canonical ordering (the
 * old windows were per-shard partials, the new ones are merged: with one partition both are one record per
 * window). Inputs have duplicates, late calls within the grace, calls too late for every window, a price change at
 * an exact millisecond, an unknown model, retry storms across bucket edges and cost spikes.
 */
class OnePassDifferentialTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void oldAndNewTopologiesAgree(long seed) throws Exception {
    Instant base = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));
    Instant priceChange = base.plus(Duration.ofMinutes(47)).plusMillis(123);
    Pricer pricer = new Pricer(PriceCatalogLoader.load(catalog(base, priceChange)));
    List<LlmCall> input = generate(new Random(seed), base, priceChange);

    ProcessorMetrics om = new ProcessorMetrics();
    Outputs old = run(LegacySpendTopology.build(Driver.TOPICS, Driver.SERDES, pricer, ProcessorConfig.defaults(),
        StoreKind.IN_MEMORY, om), om, input);
    ProcessorMetrics nm = new ProcessorMetrics();
    Outputs now = run(SpendTopology.build(Driver.TOPICS, Driver.SERDES, pricer, ProcessorConfig.defaults(),
        StoreKind.IN_MEMORY, nm, 1), nm, input);

    assertThat(now.priced).hasSize(old.priced.size()).isEqualTo(old.priced);
    List<CostWindow> oldMinutes = ofSize(old.windows, 60_000);
    assertThat(firstDifference(ofSize(now.windows, 60_000), oldMinutes)).isEmpty();
    // Hours: the old rollup released an hour for every dimension as soon as any dimension's last minute closed, so
    // a dimension whose last minute came a moment later got a second, partial hour row (which replaced the first
    // in ClickHouse), and the hour before the last call was never released. The merge stage finalises all minutes
    // of a watermark before any hour: each hour is one row, the exact sum of the same minutes.
    assertThat(hoursNotSumOfMinutes(now.windows, oldMinutes)).isEmpty();
    assertThat(ofSize(now.windows, 3_600_000)).hasSize(hourKeys(oldMinutes).size());
    // the old topology knew three detectors; the catalogue's alerts come on top of them
    assertThat(now.alerts.stream().filter(a -> a.getType().ordinal() < AlertType.OTHER.ordinal()).toList())
        .isEqualTo(old.alerts);
    // the input really exercised what it claims to
    assertThat(om.duplicates.sum()).isPositive();
    assertThat(om.tooLate(Duration.ofMinutes(1)).sum()).isPositive().isEqualTo(nm.tooLate(Duration.ofMinutes(1)).sum());
    assertThat(now.alerts).extracting(Alert::getType).contains(AlertType.RETRY_STORM, AlertType.UNPRICED_MODEL);
    assertThat(now.priced).extracting(PricedCall::getPriceVersion).contains("v1", "v2");
    assertThat(now.windows).extracting(CostWindow::getWindowSizeMs).contains(60_000L, 3_600_000L);
  }

  private static List<CostWindow> ofSize(List<CostWindow> windows, long sizeMs) {
    return windows.stream().filter(w -> w.getWindowSizeMs() == sizeMs).toList();
  }

  private static String hourKey(CostWindow w) {
    long start = w.getWindowStart().toEpochMilli();
    return (start - Math.floorMod(start, 3_600_000L)) + "|" + w.getTenantId() + "|" + w.getModel() + "|" + w.getRoute();
  }

  private static java.util.Set<String> hourKeys(List<CostWindow> minutes) {
    return minutes.stream().map(OnePassDifferentialTest::hourKey).collect(java.util.stream.Collectors.toSet());
  }

  /** Hour windows that are not the exact sum (calls, tokens, cost) of the given minute windows inside them. */
  private static List<String> hoursNotSumOfMinutes(List<CostWindow> windows, List<CostWindow> minutes) {
    java.util.Map<String, CostWindow> sums = new java.util.TreeMap<>();
    for (CostWindow m : minutes) {
      sums.merge(hourKey(m), CostWindow.newBuilder(m).build(), (a, b) -> io.spendstream.stream.windows.CostWindows.merge(a, b));
    }
    List<String> bad = new ArrayList<>();
    for (CostWindow h : ofSize(windows, 3_600_000)) {
      CostWindow sum = sums.get(hourKey(h));
      if (sum == null || sum.getCalls() != h.getCalls() || sum.getCostNanos() != h.getCostNanos()
          || sum.getInputTokens() != h.getInputTokens() || sum.getOutputTokens() != h.getOutputTokens()
          || sum.getErrors() != h.getErrors() || !sum.getLatencyHistogram().equals(h.getLatencyHistogram())) {
        bad.add(hourKey(h) + ": hour " + h.getCalls() + " calls " + h.getCostNanos() + " nanos, minutes "
            + (sum == null ? "none" : sum.getCalls() + " calls " + sum.getCostNanos() + " nanos"));
      }
    }
    return bad;
  }

  private static String firstDifference(List<?> now, List<?> old) {
    for (int i = 0; i < Math.min(now.size(), old.size()); i++) {
      if (!now.get(i).equals(old.get(i))) {
        return "at " + i + " of " + now.size() + "/" + old.size() + ":\n new " + now.get(i) + "\n old " + old.get(i);
      }
    }
    return now.size() == old.size() ? "" : "sizes " + now.size() + " (new) and " + old.size() + " (old)";
  }

  private record Outputs(List<PricedCall> priced, List<CostWindow> windows, List<Alert> alerts) {}

  private static Outputs run(Topology topology, ProcessorMetrics m, List<LlmCall> input) {
    try (Driver d = new Driver(topology, m)) {
      input.forEach(d::send);
      List<CostWindow> windows = new ArrayList<>(d.windows());
      windows.forEach(w -> w.setShard(0));
      windows.sort(Comparator.comparingLong(CostWindow::getWindowSizeMs).thenComparing(CostWindow::getWindowStart)
          .thenComparing(CostWindow::getTenantId).thenComparing(CostWindow::getModel).thenComparing(CostWindow::getRoute));
      List<Alert> alerts = new ArrayList<>(d.alerts());
      alerts.sort(Comparator.comparing(Alert::getAlertId));
      return new Outputs(d.priced(), windows, alerts);
    }
  }

  /**
   * About 1,800 calls over 90 minutes for three tenants: background traffic, a repeat of an earlier call now and
   * then, calls a few seconds late (within every grace), calls hours late (too late for every window), an
   * unknown model, bursts of one prompt (storms) and, after the detectors' warm-up, a cost spike on one route.
   */
  private static List<LlmCall> generate(Random r, Instant base, Instant priceChange) {
    List<LlmCall> out = new ArrayList<>();
    String[] tenants = {"acme", "beta", "gamma"};
    String[] routes = {"/v1/chat", "/v1/agent", "/v1/summarize"};
    long t = base.toEpochMilli();
    long end = t + Duration.ofMinutes(90).toMillis();
    long spikeAt = t + Duration.ofMinutes(70 + r.nextInt(10)).toMillis();
    String spikeRoute = routes[r.nextInt(routes.length)];
    int n = 0;
    while (t < end) {
      t += 1000 + r.nextInt(3000);
      String tenant = tenants[r.nextInt(tenants.length)];
      LlmCall.Builder c = TestCalls.call(Instant.ofEpochMilli(t)).setEventId("e" + n++).setTenantId(tenant)
          .setRoute(routes[r.nextInt(routes.length)]).setInputTokens(500 + r.nextInt(4000)).setOutputTokens(r.nextInt(800))
          .setLatencyMs(100 + r.nextInt(20_000));
      int kind = r.nextInt(100);
      if (kind < 3 && !out.isEmpty()) {
        out.add(LlmCall.newBuilder(out.get(r.nextInt(out.size()))).build()); // a repeat: dropped by dedupe
        continue;
      } else if (kind < 8) {
        c.setTimestamp(Instant.ofEpochMilli(t - r.nextInt(20_000))); // late within every grace
      } else if (kind < 10) {
        c.setTimestamp(Instant.ofEpochMilli(t - Duration.ofHours(2).toMillis())); // too late for every window
      } else if (kind < 12) {
        c.setModel("claude-future-9");
      } else if (kind < 14) {
        c.setStatusCode(429).setErrorType("rate_limit_error").setOutputTokens(0);
      }
      out.add(c.build());
      if (r.nextInt(60) == 0) { // a retry storm: one prompt, 6 to 10 calls within seconds
        String prompt = String.format("%016x", r.nextLong());
        int calls = 6 + r.nextInt(5);
        for (int i = 0; i < calls; i++) {
          t += 200 + r.nextInt(900);
          out.add(TestCalls.call(Instant.ofEpochMilli(t)).setEventId("e" + n++).setTenantId(tenant).setPromptHash(prompt)
              .setOutputTokens(0).setStatusCode(500).setErrorType("overloaded_error").build());
        }
      }
      if (Math.abs(t - spikeAt) < 60_000) {
        for (int i = 0; i < 6; i++) {
          out.add(TestCalls.call(Instant.ofEpochMilli(t + i)).setEventId("e" + n++).setTenantId("acme").setRoute(spikeRoute)
              .setInputTokens(400_000).build());
        }
      }
    }
    // exactly at the price change, one millisecond before it and after it
    for (long at : new long[] {priceChange.toEpochMilli() - 1, priceChange.toEpochMilli(), priceChange.toEpochMilli() + 1}) {
      out.add(TestCalls.call(Instant.ofEpochMilli(at)).setEventId("price-" + at).build());
    }
    // a call far ahead closes every window and bucket in both topologies
    out.add(TestCalls.call(Instant.ofEpochMilli(end + Duration.ofDays(2).toMillis())).setEventId("last").setTenantId("clock")
        .build());
    return out;
  }

  private Path catalog(Instant base, Instant change) throws Exception {
    Path p = dir.resolve("prices.yaml");
    Files.writeString(p, """
        models:
          - model: claude-sonnet-4-6
            providers: [anthropic]
            prices:
              - effective_from: "%s"
                version: v1
                input: "3.00"
                output: "15.00"
                cache_read: "0.30"
                cache_write_5m: "3.75"
                cache_write_1h: "6.00"
              - effective_from: "%s"
                version: v2
                input: "2.00"
                output: "10.00"
                cache_read: "0.20"
                cache_write_5m: "2.50"
                cache_write_1h: "4.00"
        """.formatted(base.minus(Duration.ofDays(30)), change));
    return p;
  }
}
