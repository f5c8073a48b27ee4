package io.spendstream.stream.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.stream.Driver;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.SpendTopology;
import io.spendstream.stream.TestCalls;
import io.spendstream.stream.config.ProcessorConfigLoader;
import io.spendstream.stream.kafka.StoreKind;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The alert catalogue through the whole processor (TopologyTestDriver): each detector fires at the window end where
 * its condition first holds (not before), once, resolves where that applies, honours its cooldown and per-tenant
 * overrides. Windows of one minute with no grace, so a window is final as soon as event time passes its end.
 */
class AlertCatalogueTest {
  private static final String WINDOWS = "windows: {sizes: [1m], grace: 0s}\n";
  private final Instant day = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(3));

  private static Driver driver(String yaml, ProcessorMetrics m) {
    return new Driver(SpendTopology.build(Driver.TOPICS, Driver.SERDES, new Pricer(PriceCatalogLoader.defaults()),
        ProcessorConfigLoader.parse(WINDOWS + yaml, "test.yaml"), StoreKind.IN_MEMORY, m, 1), m);
  }

  /** Moves event time (the gateway's tick): every window ending by {@code at} is final. */
  private static void tick(Driver d, Instant at) {
    TestInputTopic<byte[], byte[]> calls = d.driver.createInputTopic(Topics.LLM_CALLS, new ByteArraySerializer(),
        new ByteArraySerializer());
    calls.pipeInput(new TestRecord<>(null, null, new RecordHeaders().add(Topics.TICK_HEADER, new byte[0]), at));
  }

  private static LlmCall.Builder call(Instant at, String route) {
    return TestCalls.call(at).setRoute(route);
  }

  private static List<Alert> of(List<Alert> alerts, AlertType type) {
    return alerts.stream().filter(a -> a.getType() == type).toList();
  }

  private Instant minute(int m) {
    return day.plus(Duration.ofMinutes(m));
  }

  @Test
  void errorRateFiresAtTheWindowWhereItCrossesOnceResolvesAndHonoursCooldownAndOverrides() {
    ProcessorMetrics m = new ProcessorMetrics();
    try (Driver d = driver("tenants: {lenient: {error_rate: {max_rate: 0.5}}}", m)) {
      for (String tenant : List.of("acme", "lenient")) {
        for (int i = 0; i < 10; i++) {
          d.send(call(minute(0).plusSeconds(i), "/chat").setTenantId(tenant).build());
        }
        for (int i = 0; i < 9; i++) {
          d.send(call(minute(1).plusSeconds(i), "/chat").setTenantId(tenant).build());
        }
        d.send(call(minute(1).plusSeconds(30), "/chat").setTenantId(tenant).setStatusCode(500).build());
      }
      tick(d, minute(2));
      assertThat(of(d.alerts(), AlertType.ERROR_RATE)).as("1 of 20 = 5 %: not above the threshold").isEmpty();
      for (String tenant : List.of("acme", "lenient")) {
        d.send(call(minute(2).plusSeconds(5), "/chat").setTenantId(tenant).setStatusCode(500).build());
      }
      assertThat(of(d.alerts(), AlertType.ERROR_RATE)).as("not before the window is final").isEmpty();
      tick(d, minute(3));
      List<Alert> fired = of(d.alerts(), AlertType.ERROR_RATE);
      assertThat(fired).singleElement().satisfies(a -> {
        assertThat(a.getTenantId()).as("lenient's override: 50 %").isEqualTo("acme");
        assertThat(a.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(a.getDetectedAt()).isEqualTo(minute(3));
        assertThat(a.getObservedValue()).isEqualTo(952); // 2 of 21 calls, in basis points
        assertThat(a.getThreshold()).isEqualTo(500);
        assertThat(a.getDimension()).isEqualTo("route");
        assertThat(a.getDimensionValue()).isEqualTo("/chat");
        assertThat(a.getEvidence()).containsEntry("calls", "21").containsEntry("errors", "2");
      });
      d.send(call(minute(3).plusSeconds(1), "/chat").setStatusCode(500).build());
      tick(d, minute(4));
      assertThat(of(d.alerts(), AlertType.ERROR_RATE)).as("once per condition").isEmpty();
      for (int mm = 4; mm < 14; mm++) {
        for (int i = 0; i < 30; i++) {
          d.send(call(minute(mm).plusSeconds(i), "/chat").build());
        }
      }
      tick(d, minute(14));
      assertThat(of(d.alerts(), AlertType.ERROR_RATE)).singleElement().satisfies(a -> {
        assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(a.getAlertId()).isEqualTo(fired.get(0).getAlertId());
        assertThat(a.getMessage()).startsWith("Resolved: ");
      });
      // it holds again 12 minutes after it fired: within the 30 min cooldown, suppressed
      for (int i = 0; i < 30; i++) {
        d.send(call(minute(15).plusSeconds(i), "/chat").setStatusCode(503).build());
      }
      tick(d, minute(16));
      assertThat(of(d.alerts(), AlertType.ERROR_RATE)).isEmpty();
      assertThat(m.catalogueSuppressed.sum()).isPositive();
      // the condition cleared, and fires anew after the cooldown: a new incident, a new id
      for (int mm = 16; mm < 40; mm++) {
        d.send(call(minute(mm), "/chat").build());
      }
      for (int i = 0; i < 30; i++) {
        d.send(call(minute(40).plusSeconds(i), "/chat").setStatusCode(503).build());
      }
      tick(d, minute(41));
      assertThat(of(d.alerts(), AlertType.ERROR_RATE)).singleElement().satisfies(a -> {
        assertThat(a.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(a.getAlertId()).isNotEqualTo(fired.get(0).getAlertId());
        assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
      });
    }
  }

  @Test
  void outagesRateLimitsLatencyAndTruncationFireOnTheirOwnRoutes() {
    try (Driver d = driver("", new ProcessorMetrics())) {
      for (int i = 0; i < 3; i++) {
        d.send(call(minute(0).plusSeconds(i), "/down").setStatusCode(500).setErrorType("api_error").build());
      }
      d.send(call(minute(0).plusSeconds(5), "/limited").setStatusCode(429).setErrorType("rate_limit_error").build());
      for (int i = 0; i < 20; i++) {
        d.send(call(minute(0).plusSeconds(i), "/slow").setLatencyMs(20_000).build());
        d.send(call(minute(0).plusSeconds(i), "/cut").setStopReason(i < 3 ? "max_tokens" : "end_turn").build());
      }
      tick(d, minute(1));
      List<Alert> alerts = d.alerts();
      assertThat(of(alerts, AlertType.NO_SUCCESS)).singleElement().satisfies(a -> {
        assertThat(a.getDimensionValue()).isEqualTo("/down");
        assertThat(a.getSeverity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.getEvidence()).containsEntry("calls", "3");
      });
      assertThat(of(alerts, AlertType.RATE_LIMITED)).singleElement().satisfies(a -> {
        assertThat(a.getDimensionValue()).isEqualTo("/limited");
        assertThat(a.getSeverity()).as("one 429: a notice").isEqualTo(Severity.INFO);
      });
      assertThat(of(alerts, AlertType.LATENCY_P95)).singleElement().satisfies(a -> {
        assertThat(a.getDimensionValue()).isEqualTo("/slow");
        assertThat(a.getObservedValue()).isGreaterThan(15_000).isLessThanOrEqualTo(24_000); // histogram bucket bound
      });
      assertThat(of(alerts, AlertType.TRUNCATION_RATE)).singleElement().satisfies(a -> {
        assertThat(a.getDimensionValue()).isEqualTo("/cut");
        assertThat(a.getObservedValue()).isEqualTo(1500);
      });
      assertThat(of(alerts, AlertType.ERROR_RATE)).as("too few calls for an error rate").isEmpty();
      // the outage ends with the first success; silence alone would not end it
      tick(d, minute(9));
      assertThat(of(d.alerts(), AlertType.NO_SUCCESS)).isEmpty();
      d.send(call(minute(9).plusSeconds(1), "/down").build());
      tick(d, minute(10));
      assertThat(of(d.alerts(), AlertType.NO_SUCCESS)).singleElement()
          .satisfies(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED));
    }
  }

  @Test
  void budgetThresholdsFireExactlyOncePerPeriodAndTheMonthForecastOnce() {
    // two days into last month: a fixed place in the month, relative to today
    Instant monthDay = Instant.now().atZone(ZoneOffset.UTC).minusMonths(1).with(TemporalAdjusters.firstDayOfMonth())
        .truncatedTo(ChronoUnit.DAYS).plusDays(2).toInstant();
    try (Driver d = driver("tenants: {acme: {budget: {daily_usd: 1, monthly_usd: 20, forecast_after: 1d}}}",
        new ProcessorMetrics())) {
      List<Alert> budget = new ArrayList<>();
      for (int mm = 0; mm < 5; mm++) { // $0.30 a minute: 30 %, 60 %, 90 %, 120 %, 150 % of the day
        d.send(call(monthDay.plus(Duration.ofMinutes(mm)), "/chat").setInputTokens(100_000).setOutputTokens(0).build());
        tick(d, monthDay.plus(Duration.ofMinutes(mm + 1)));
        budget.addAll(of(d.alerts(), AlertType.BUDGET));
        if (mm == 0) {
          assertThat(budget).as("30 %: nothing yet").isEmpty();
        }
      }
      assertThat(budget.stream().filter(a -> a.getDimensionValue().equals("daily")))
          .extracting(a -> a.getEvidence().get("threshold"), Alert::getDetectedAt, Alert::getSeverity)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("0.5", monthDay.plus(Duration.ofMinutes(2)), Severity.WARNING),
              org.assertj.core.groups.Tuple.tuple("0.8", monthDay.plus(Duration.ofMinutes(3)), Severity.WARNING),
              org.assertj.core.groups.Tuple.tuple("1", monthDay.plus(Duration.ofMinutes(4)), Severity.CRITICAL));
      // $0.30 after 2 days of a month of 28-31 days projects to $4.20-4.65, then $0.60 to over $8 ... at $1.50: > $20
      List<Alert> forecast = budget.stream().filter(a -> a.getDimensionValue().equals("monthly_forecast")).toList();
      long monthLength = Duration.between(monthDay.minus(Duration.ofDays(2)),
          monthDay.atZone(ZoneOffset.UTC).minusDays(2).plusMonths(1).toInstant()).toMillis();
      int firstOver = -1;
      for (int mm = 0; mm < 5 && firstOver < 0; mm++) {
        long spent = 300_000_000L * (mm + 1);
        long elapsed = Duration.ofDays(2).plusMinutes(mm + 1).toMillis();
        if (java.math.BigInteger.valueOf(spent).multiply(java.math.BigInteger.valueOf(monthLength))
            .divide(java.math.BigInteger.valueOf(elapsed)).longValue() > 20_000_000_000L) {
          firstOver = mm;
        }
      }
      if (firstOver < 0) {
        assertThat(forecast).as("the pace stays under the monthly budget").isEmpty();
      } else {
        int at = firstOver;
        assertThat(forecast).singleElement().satisfies(a -> {
          assertThat(a.getDetectedAt()).isEqualTo(monthDay.plus(Duration.ofMinutes(at + 1)));
          assertThat(a.getObservedValue()).isGreaterThan(20_000_000_000L);
        });
      }
      // the next day is a new period: its thresholds fire again, under new ids
      Instant next = monthDay.plus(Duration.ofDays(1));
      d.send(call(next, "/chat").setInputTokens(200_000).setOutputTokens(0).build());
      tick(d, next.plus(Duration.ofMinutes(1)));
      assertThat(of(d.alerts(), AlertType.BUDGET)).filteredOn(a -> a.getDimensionValue().equals("daily"))
          .singleElement().satisfies(a -> {
            assertThat(a.getEvidence()).containsEntry("threshold", "0.5");
            assertThat(a.getAlertId()).isNotIn(budget.stream().map(Alert::getAlertId).toList());
          });
    }
  }

  @Test
  void cacheRatioPromptGrowthAndModelMixAgainstTheBaselineDays() {
    String yaml = "alerts: {baseline_days: 1, prompt_growth: {min_calls: 2}, model_mix: {upgrade_min_calls: 2}}\n";
    try (Driver d = driver(yaml, new ProcessorMetrics())) {
      Instant d2 = day.minus(Duration.ofDays(2));
      for (int h = 0; h < 48; h++) {
        Instant at = d2.plus(Duration.ofHours(h));
        d.send(call(at, "/rag").setInputTokens(10_000).setCacheReadInputTokens(90_000).build());
        d.send(call(at, "/ctx").setInputTokens(h < 24 ? 100_000 : 200_000).build()); // prompts double on the 2nd day
        d.send(call(at, "/mix").build());
      }
      tick(d, day);
      List<Alert> before = d.alerts();
      assertThat(of(before, AlertType.CACHE_RATIO_REGRESSION)).isEmpty();
      assertThat(of(before, AlertType.MODEL_MIX_SHIFT)).isEmpty();
      // the mean over the last day passes 1.5x the day before once 13 of its 24 hours are the doubled ones
      assertThat(of(before, AlertType.PROMPT_GROWTH)).singleElement().satisfies(a -> {
        assertThat(a.getDetectedAt()).isEqualTo(d2.plus(Duration.ofHours(24 + 13)));
        assertThat(a.getObservedValue()).isEqualTo((11 * 100_000L + 13 * 200_000L) / 24);
        assertThat(a.getBaseline()).isEqualTo(100_000L);
      });
      // today: the cache stops hitting on /rag, /mix moves to Opus
      d.send(call(day.plus(Duration.ofMinutes(30)), "/rag").setInputTokens(100_000).build());
      for (int i = 0; i < 3; i++) {
        d.send(call(day.plus(Duration.ofMinutes(40 + i)), "/mix").setModel("claude-opus-4-7").build());
      }
      tick(d, day.plus(Duration.ofMinutes(31)));
      assertThat(of(d.alerts(), AlertType.CACHE_RATIO_REGRESSION)).singleElement().satisfies(a -> {
        assertThat(a.getDetectedAt()).isEqualTo(day.plus(Duration.ofMinutes(31)));
        assertThat(a.getBaseline()).isEqualTo(9000);
        assertThat(a.getObservedValue()).as("the only call of the last hour read nothing from the cache").isZero();
        assertThat(a.getEvidence()).containsEntry("input_side_tokens", "100000").containsEntry("cache_read_tokens", "0");
      });
      tick(d, day.plus(Duration.ofHours(1)));
      List<Alert> mix = of(d.alerts(), AlertType.MODEL_MIX_SHIFT);
      assertThat(mix).extracting(Alert::getModel).containsExactlyInAnyOrder(null, "claude-opus-4-7");
      assertThat(mix).allSatisfy(a -> assertThat(a.getDetectedAt()).isEqualTo(day.plus(Duration.ofHours(1))));
      assertThat(mix).filteredOn(a -> a.getModel() == null).singleElement()
          .satisfies(a -> assertThat(a.getObservedValue()).as("all of the hour's cost on Opus").isEqualTo(10_000));
    }
  }

  @Test
  void aStaticCeilingPerMinuteFiresOnTheMinuteAndResolvesWhenSpendFalls() {
    try (Driver d = driver("tenants: {acme: {spend_baseline: {ceiling_usd_per_minute: 1}}}", new ProcessorMetrics())) {
      d.send(call(minute(0), "/chat").setInputTokens(500_000).setOutputTokens(0).build()); // $1.50
      tick(d, minute(1));
      assertThat(of(d.alerts(), AlertType.SPEND_VS_BASELINE)).singleElement().satisfies(a -> {
        assertThat(a.getDimension()).isEqualTo("tenant");
        assertThat(a.getObservedValue()).isEqualTo(1_500_000_000L);
        assertThat(a.getThreshold()).isEqualTo(1_000_000_000L);
      });
      d.send(call(minute(1), "/chat").build());
      tick(d, minute(2));
      assertThat(of(d.alerts(), AlertType.SPEND_VS_BASELINE)).singleElement()
          .satisfies(a -> assertThat(a.getStatus()).isEqualTo(AlertStatus.RESOLVED));
    }
  }

  @Test
  void aRunawayTaskTreeFiresOncePerThresholdAndRunAtTheWindowOfTheCrossingCall() {
    try (Driver d = driver("", new ProcessorMetrics())) {
      for (int i = 0; i < 8; i++) {
        d.send(call(minute(0).plusSeconds(i), "/agent").setTaskId("t1").setPromptHash("p" + i).build());
      }
      tick(d, minute(1));
      for (int i = 0; i < 5; i++) { // a subagent's calls count for the root task: 13 calls > 12
        d.send(call(minute(1).plusSeconds(i), "/tools").setTaskId("t1-sub").setParentTaskId("t1").build());
      }
      assertThat(of(d.alerts(), AlertType.RUNAWAY_TASK)).as("not before the window is final").isEmpty();
      tick(d, minute(2));
      List<Alert> first = of(d.alerts(), AlertType.RUNAWAY_TASK);
      assertThat(first).singleElement().satisfies(a -> {
        assertThat(a.getDimension()).isEqualTo("task_id");
        assertThat(a.getDimensionValue()).isEqualTo("t1");
        assertThat(a.getObservedValue()).isEqualTo(13);
        assertThat(a.getDetectedAt()).isEqualTo(minute(2));
        assertThat(a.getWindowStart()).isEqualTo(minute(0));
        assertThat(a.getEvidence()).containsEntry("hops", "13").containsEntry("subtasks", "1")
            .containsEntry("routes", "/agent,/tools").containsEntry("input_tokens", "13000")
            .containsEntry("cost_nanos", String.valueOf(13 * TestCalls.DEFAULT_COST));
      });
      // a sub-subagent still rolls up to t1; more calls cross the cost threshold ($0.50) once, never the hops again
      d.send(call(minute(2), "/tools").setTaskId("t1-sub-sub").setParentTaskId("t1-sub").setInputTokens(200_000).build());
      d.send(call(minute(2).plusSeconds(1), "/agent").setTaskId("t1").build());
      tick(d, minute(3));
      assertThat(of(d.alerts(), AlertType.RUNAWAY_TASK)).singleElement().satisfies(a -> {
        assertThat(a.getObservedUnit()).isEqualTo("nano_usd");
        assertThat(a.getDimensionValue()).isEqualTo("t1");
        assertThat(a.getEvidence()).containsEntry("hops", "15").containsEntry("subtasks", "2");
      });
      // 31 minutes idle end the run: the next run counts from zero and fires under a new id
      for (int i = 0; i < 13; i++) {
        d.send(call(minute(34).plusSeconds(i), "/agent").setTaskId("t1").build());
      }
      tick(d, minute(35));
      assertThat(of(d.alerts(), AlertType.RUNAWAY_TASK)).singleElement().satisfies(a -> {
        assertThat(a.getObservedValue()).isEqualTo(13);
        assertThat(a.getAlertId()).isNotEqualTo(first.get(0).getAlertId());
      });
      // the conversation's lifetime cost over $5 fires once
      d.send(call(minute(36), "/agent").setTaskId("t1").setInputTokens(2_000_000).build());
      tick(d, minute(37));
      assertThat(of(d.alerts(), AlertType.RUNAWAY_TASK)).extracting(a -> a.getEvidence().get("lifetime_cost_nanos"),
          Alert::getObservedUnit).hasSize(2).allSatisfy(t -> assertThat(t.toList().get(1)).isEqualTo("nano_usd"));
    }
  }

  @Test
  void spendAgainstBaselineComparesTodayAndTheLastHourWithTheDaysBefore() {
    String yaml = "alerts: {baseline_days: 2, spend_baseline: {min_cost_usd: 0.01}}\n";
    try (Driver d = driver(yaml, new ProcessorMetrics())) {
      Instant d2 = day.minus(Duration.ofDays(2));
      for (int h = 0; h < 48; h++) { // two days of one $0.0045 call an hour
        d.send(call(d2.plus(Duration.ofHours(h)), "/chat").build());
      }
      tick(d, day.plus(Duration.ofMinutes(1)));
      assertThat(of(d.alerts(), AlertType.SPEND_VS_BASELINE)).as("steady spend").isEmpty();
      for (int i = 0; i < 10; i++) { // today's first hour: ten times the usual
        d.send(call(day.plus(Duration.ofMinutes(5 + i)), "/chat").build());
      }
      tick(d, day.plus(Duration.ofMinutes(59)));
      assertThat(of(d.alerts(), AlertType.SPEND_VS_BASELINE)).as("hourly checks run at the hour's end").isEmpty();
      tick(d, day.plus(Duration.ofHours(1)));
      List<Alert> alerts = of(d.alerts(), AlertType.SPEND_VS_BASELINE);
      assertThat(alerts).hasSize(2).allSatisfy(a -> {
        assertThat(a.getDetectedAt()).isEqualTo(day.plus(Duration.ofHours(1)));
        assertThat(a.getDimension()).isEqualTo("tenant");
        assertThat(a.getObservedValue()).isEqualTo(10 * TestCalls.DEFAULT_COST);
        assertThat(a.getBaseline()).isEqualTo(TestCalls.DEFAULT_COST);
      });
      assertThat(alerts).extracting(a -> a.getEvidence().containsKey("median_hour_nanos")).containsExactlyInAnyOrder(true, false);
    }
  }
}
