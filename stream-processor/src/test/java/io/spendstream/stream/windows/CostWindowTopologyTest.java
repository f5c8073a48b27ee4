package io.spendstream.stream.windows;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.DeadLetterHeaders;
import io.spendstream.schemas.LatencyHistogram;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.stream.Driver;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.TestCalls;
import io.spendstream.stream.config.WindowsConfig;
import io.spendstream.stream.kafka.StoreKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CostWindowTopologyTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration HOUR = Duration.ofHours(1);

  private static Driver windows() {
    ProcessorMetrics m = new ProcessorMetrics();
    return new Driver(CostWindowTopology.build(Driver.TOPICS, Driver.SERDES, WindowsConfig.defaults(), StoreKind.IN_MEMORY, m), m);
  }

  private static void send(Driver d, String time, String model) {
    send(d, TestCalls.call(Instant.parse("2026-11-23T" + time + "Z")).setModel(model));
  }

  private static void send(Driver d, LlmCall.Builder b) {
    d.sendPriced(TestCalls.priced(b.build()));
  }

  @Test
  void oneFinalResultPerWindowOnlyAfterTheGrace() {
    try (Driver d = windows()) {
      send(d, TestCalls.call(Instant.parse("2026-11-23T10:00:05Z")).setLatencyMs(120).setStatusCode(429)
          .setErrorType("rate_limit_error"));
      send(d, TestCalls.call(Instant.parse("2026-11-23T10:00:30Z")).setLatencyMs(2400).setStopReason("max_tokens"));
      send(d, "10:00:50", "claude-haiku-4-5");
      send(d, "10:05:59", "claude-haiku-4-5");
      assertThat(d.windows()).as("window 10:00-10:01 closes at 10:06:00 (end + 5 min grace)").isEmpty();
      send(d, "10:06:00", "claude-haiku-4-5");
      List<CostWindow> out = d.windows();
      assertThat(out).hasSize(2).allSatisfy(w -> {
        assertThat(w.getWindowStart()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
        assertThat(w.getWindowEnd()).isEqualTo(Instant.parse("2026-11-23T10:01:00Z"));
        assertThat(w.getWindowSizeMs()).isEqualTo(60_000);
      });
      CostWindow sonnet = out.stream().filter(w -> w.getModel().equals("claude-sonnet-4-6")).findFirst().orElseThrow();
      assertThat(sonnet.getCalls()).isEqualTo(2);
      assertThat(sonnet.getCostNanos()).isEqualTo(2 * TestCalls.DEFAULT_COST);
      assertThat(sonnet.getErrors()).isEqualTo(1);
      assertThat(sonnet.getRateLimited()).isEqualTo(1);
      assertThat(sonnet.getMaxTokensStops()).isEqualTo(1);
      assertThat(sonnet.getInputTokens()).isEqualTo(2000);
      assertThat(sonnet.getLatencySumMs()).isEqualTo(2520);
      assertThat(sonnet.getLatencyMaxMs()).isEqualTo(2400);
      assertThat(sonnet.getLatencyHistogram().get(LatencyHistogram.bucketOf(120))).isEqualTo(1);
      assertThat(sonnet.getLatencyHistogram().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
      assertThat(d.windows()).as("no second, partial update of a closed window").isEmpty();
    }
  }

  @Test
  void lateEventWithinTheGraceIsInItsWindow() {
    try (Driver d = windows()) {
      send(d, "10:00:10", "claude-sonnet-4-6");
      send(d, "10:04:00", "claude-sonnet-4-6");
      send(d, "10:00:20", "claude-sonnet-4-6"); // 3 min 40 s late, grace is 5 min
      send(d, "10:06:00", "claude-sonnet-4-6");
      List<CostWindow> out = d.windows();
      assertThat(out).hasSize(1);
      assertThat(out.get(0).getCalls()).isEqualTo(2);
      assertThat(d.metrics.tooLate(MINUTE).sum()).isZero();
    }
  }

  @Test
  void eventAfterTheGraceIsLeftOutOfTheMinuteAndTheHourAndCounted() {
    try (Driver d = windows()) {
      send(d, "10:00:10", "claude-sonnet-4-6");
      send(d, "10:07:00", "claude-sonnet-4-6"); // closes 10:00-10:01
      send(d, "10:00:20", "claude-sonnet-4-6"); // too late for the minute, so for the hour too (a sum of minutes)
      assertThat(d.metrics.tooLate(MINUTE).sum()).isEqualTo(1);
      assertThat(d.metrics.tooLate(HOUR).sum()).isEqualTo(1);
      send(d, "11:05:00", "claude-sonnet-4-6");
      send(d, "11:12:00", "claude-sonnet-4-6"); // releases 11:05-11:06, the first minute after the hour: the hour goes with it
      List<CostWindow> out = d.windows();
      CostWindow minute = out.stream().filter(w -> w.getWindowSizeMs() == 60_000
          && w.getWindowStart().equals(Instant.parse("2026-11-23T10:00:00Z"))).findFirst().orElseThrow();
      assertThat(minute.getCalls()).isEqualTo(1);
      CostWindow hour = out.stream().filter(w -> w.getWindowSizeMs() == 3_600_000).findFirst().orElseThrow();
      assertThat(hour.getCalls()).isEqualTo(2);
      assertThat(hour.getCostNanos()).isEqualTo(2 * TestCalls.DEFAULT_COST);
      assertThat(hour.getWindowStart()).isEqualTo(Instant.parse("2026-11-23T10:00:00Z"));
      assertThat(hour.getWindowEnd()).isEqualTo(Instant.parse("2026-11-23T11:00:00Z"));
    }
  }

  @Test
  void windowSumsEqualTheSumOfTheirCallsToTheNano() {
    try (Driver d = windows()) {
      // also: every hour equals the sum of its minutes, field by field
      java.util.Random r = new java.util.Random(7);
      long total = 0;
      Instant t = Instant.parse("2026-11-23T10:00:00Z");
      for (int i = 0; i < 3000; i++) {
        t = t.plusMillis(r.nextInt(2000));
        var p = TestCalls.priced(TestCalls.call(t).setModel(r.nextBoolean() ? "claude-haiku-4-5" : "claude-opus-4-7")
            .setRoute("/r" + r.nextInt(3)).setInputTokens(r.nextInt(50_000)).setOutputTokens(r.nextInt(4000))
            .setCacheReadInputTokens(r.nextInt(9000)).build());
        total += p.getCostNanos();
        d.sendPriced(p);
      }
      send(d, TestCalls.call(t.plus(Duration.ofHours(2))).setRoute("/flush").setInputTokens(0).setOutputTokens(0));
      send(d, TestCalls.call(t.plus(Duration.ofHours(3))).setRoute("/flush").setInputTokens(0).setOutputTokens(0));
      List<CostWindow> out = d.windows();
      long minutes = out.stream().filter(w -> w.getWindowSizeMs() == 60_000).mapToLong(CostWindow::getCostNanos).sum();
      long hours = out.stream().filter(w -> w.getWindowSizeMs() == 3_600_000).mapToLong(CostWindow::getCostNanos).sum();
      assertThat(minutes).isEqualTo(total);
      assertThat(hours).isEqualTo(total);
      for (CostWindow h : out.stream().filter(w -> w.getWindowSizeMs() == 3_600_000).toList()) {
        List<CostWindow> inside = out.stream().filter(w -> w.getWindowSizeMs() == 60_000 && w.getRoute().equals(h.getRoute())
            && w.getModel().equals(h.getModel()) && !w.getWindowStart().isBefore(h.getWindowStart())
            && w.getWindowStart().isBefore(h.getWindowEnd())).toList();
        assertThat(h.getCalls()).isEqualTo(inside.stream().mapToLong(CostWindow::getCalls).sum());
        assertThat(h.getCacheReadInputTokens()).isEqualTo(inside.stream().mapToLong(CostWindow::getCacheReadInputTokens).sum());
        assertThat(h.getLatencyMaxMs()).isEqualTo(inside.stream().mapToLong(CostWindow::getLatencyMaxMs).max().orElseThrow());
      }
    }
  }
  @Test
  void aSumThatWouldOverflowDeadLettersTheCallAndEveryOtherWindowStaysExact() {
    Instant minute = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofHours(2));
    long half = Long.MAX_VALUE / 2 + 1;
    try (Driver d = windows()) {
      d.sendPriced(TestCalls.costing(TestCalls.call(minute.plusSeconds(1)).setTenantId("hostile").build(), half));
      d.sendPriced(TestCalls.costing(TestCalls.call(minute.plusSeconds(2)).setTenantId("hostile").build(), half));
      d.sendPricedRaw("garbage on the priced topic".getBytes(java.nio.charset.StandardCharsets.UTF_8),
          minute.plusSeconds(3).toEpochMilli());
      send(d, TestCalls.call(minute.plusSeconds(4)).setTenantId("beta"));
      // the next minute of the hostile tenant: its hour would overflow when the minutes are rolled up
      d.sendPriced(TestCalls.costing(TestCalls.call(minute.plusSeconds(61)).setTenantId("hostile").build(), half));
      send(d, TestCalls.call(minute.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(7))).setTenantId("beta"));
      send(d, TestCalls.call(minute.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(15))).setTenantId("beta"));

      List<CostWindow> out = d.windows();
      assertThat(out).filteredOn(w -> w.getWindowSizeMs() == MINUTE.toMillis())
          .extracting(w -> w.getTenantId() + " " + w.getWindowStart() + " " + w.getCalls() + " " + w.getCostNanos())
          .containsExactlyInAnyOrder("hostile " + minute + " 1 " + half, "beta " + minute + " 1 " + TestCalls.DEFAULT_COST,
              "hostile " + minute.plusSeconds(60) + " 1 " + half,
              "beta " + minute.plus(Duration.ofMinutes(67)) + " 1 " + TestCalls.DEFAULT_COST);
      assertThat(out).filteredOn(w -> w.getWindowSizeMs() == HOUR.toMillis())
          .extracting(w -> w.getTenantId() + " " + w.getCalls() + " " + w.getCostNanos())
          .containsExactlyInAnyOrder("hostile 1 " + half, "beta 1 " + TestCalls.DEFAULT_COST);
      assertThat(d.handledDeadLetters).extracting(CostWindowTopologyTest::reason).satisfiesExactly(
          r -> assertThat(r).startsWith("processing failed in cost-windows-1m-aggregate: ArithmeticException: long overflow"),
          r -> assertThat(r).startsWith("unreadable record: "),
          r -> assertThat(r).startsWith("processing failed in cost-windows-rollup: ArithmeticException: sum would overflow")
              .contains("hostile"));
      assertThat(d.handledDeadLetters.get(1).value()).asString(java.nio.charset.StandardCharsets.UTF_8)
          .isEqualTo("garbage on the priced topic");
      assertThat(header(d.handledDeadLetters.get(1), DeadLetterHeaders.SOURCE)).isEqualTo(Driver.TOPICS.priced() + "/0/2");
    }
  }

  private static String reason(org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> r) {
    return header(r, DeadLetterHeaders.REASON);
  }

  private static String header(org.apache.kafka.clients.producer.ProducerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
