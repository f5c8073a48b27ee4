package io.spendstream.stream.pricing;

import static io.spendstream.stream.TestCalls.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.CallLimits;
import io.spendstream.schemas.DeadLetterHeaders;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.Driver;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.SpendTopology;
import io.spendstream.stream.TestCalls;
import io.spendstream.stream.config.DedupeConfig;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.kafka.StoreKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricingTopologyTest {
  private static Driver pricing(Pricer pricer, Duration horizon) {
    ProcessorMetrics m = new ProcessorMetrics();
    ProcessorConfig d = ProcessorConfig.defaults();
    ProcessorConfig config = new ProcessorConfig(new DedupeConfig(horizon, DedupeConfig.defaults().maxAge()), d.windows(),
        d.retryStorm(), d.anomaly(), d.unpriced(), d.alerts(), d.tenants());
    // the production topology: pricing is its first step
    return new Driver(SpendTopology.build(Driver.TOPICS, Driver.SERDES, pricer, config, StoreKind.IN_MEMORY, m, 1), m);
  }

  private static Driver pricing() {
    return pricing(new Pricer(PriceCatalogLoader.defaults()), Duration.ofHours(24));
  }

  @Test
  void pricesACallExactlyAndKeysItByTenantModelRoute() {
    try (Driver d = pricing()) {
      d.send(TestCalls.call(Instant.parse("2026-11-23T10:00:00Z")).setCacheReadInputTokens(2000)
          .setCacheCreationInputTokens(300).build());
      List<PricedCall> out = d.priced();
      assertThat(out).hasSize(1);
      // 1000 x $3 + 100 x $15 + 2000 x $0.30 + 300 x $3.75 per MTok = 3,000,000 + 1,500,000 + 600,000 + 1,125,000
      assertThat(out.get(0).getCostNanos()).isEqualTo(6_225_000L);
      assertThat(out.get(0).getPriceStatus()).isEqualTo(PriceStatus.PRICED);
      assertThat(d.driver.producedTopicNames()).contains(Driver.TOPICS.priced());
    }
  }

  @Test
  void duplicateEventIdIsDroppedAndTheFirstCopyWins() {
    try (Driver d = pricing()) {
      LlmCall first = call("2026-11-23T10:00:00Z");
      LlmCall copy = LlmCall.newBuilder(first).setOutputTokens(999).build();
      d.send(first);
      d.send(copy);
      d.send(LlmCall.newBuilder(first).setTimestamp(Instant.parse("2026-11-23T20:00:00Z")).build());
      List<PricedCall> out = d.priced();
      assertThat(out).hasSize(1);
      assertThat(out.get(0).getCall().getOutputTokens()).isEqualTo(100);
      assertThat(d.metrics.duplicates.sum()).isEqualTo(2);
    }
  }

  /** Within the horizon a repeat is always dropped, between one and two horizons it may be, beyond two never. */
  @Test
  void repeatBeyondTwoHorizonsIsCountedAgain() {
    try (Driver d = pricing(new Pricer(PriceCatalogLoader.defaults()), Duration.ofHours(1))) {
      Instant hour = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).minus(Duration.ofDays(1));
      LlmCall first = TestCalls.call(hour).build();
      d.send(first);
      d.send(LlmCall.newBuilder(first).setTimestamp(hour.plusSeconds(3599)).build());
      d.send(LlmCall.newBuilder(first).setTimestamp(hour.minusSeconds(3599)).build());
      d.send(LlmCall.newBuilder(first).setTimestamp(hour.plus(Duration.ofMinutes(90))).build()); // 1.5 horizons
      d.send(LlmCall.newBuilder(first).setTimestamp(hour.plus(Duration.ofHours(2)).plusSeconds(1)).build());
      assertThat(d.priced()).extracting(p -> p.getCall().getTimestamp())
          .containsExactly(hour, hour.plus(Duration.ofHours(2)).plusSeconds(1));
      assertThat(d.metrics.duplicates.sum()).isEqualTo(3);
    }
  }

  @Test
  void priceChangesAtTheExactEffectiveTimestamp(@TempDir Path dir) throws Exception {
    Path catalog = dir.resolve("prices.yaml");
    Files.writeString(catalog, """
        models:
          - model: claude-sonnet-4-6
            providers: [anthropic]
            prices:
              - effective_from: "2026-01-01T00:00:00Z"
                version: v1
                input: "3.00"
                output: "15.00"
                cache_read: "0.30"
                cache_write_5m: "3.75"
                cache_write_1h: "6.00"
              - effective_from: "2026-12-01T00:00:00Z"
                version: v2
                input: "2.00"
                output: "10.00"
                cache_read: "0.20"
                cache_write_5m: "2.50"
                cache_write_1h: "4.00"
        """);
    try (Driver d = pricing(new Pricer(PriceCatalogLoader.load(catalog)), Duration.ofHours(24))) {
      d.send(call("2026-11-30T23:59:59.999Z"));
      d.send(call("2026-12-01T00:00:00.000Z"));
      List<PricedCall> out = d.priced();
      assertThat(out).extracting(PricedCall::getPriceVersion).containsExactly("v1", "v2");
      assertThat(out).extracting(PricedCall::getCostNanos).containsExactly(4_500_000L, 3_000_000L);
    }
  }

  @Test
  void unknownModelIsPricedAtZeroAndAlertedOncePerModelPerHour() {
    ProcessorMetrics m = new ProcessorMetrics();
    try (Driver d = new Driver(SpendTopology.build(Driver.TOPICS, Driver.SERDES, new Pricer(PriceCatalogLoader.defaults()),
        ProcessorConfig.defaults(), StoreKind.IN_MEMORY, m, 1), m)) {
      for (String t : List.of("10:00:00", "10:20:00", "10:59:59", "11:00:00", "11:30:00")) {
        d.send(TestCalls.call(Instant.parse("2026-11-23T" + t + "Z")).setModel("claude-future-9").build());
      }
      d.send(TestCalls.call(Instant.parse("2026-11-23T10:30:00Z")).setModel("gpt-none").setTenantId("beta").build());
      List<PricedCall> out = d.priced();
      assertThat(out).hasSize(6).allSatisfy(p -> {
        assertThat(p.getPriceStatus()).isEqualTo(PriceStatus.UNPRICED_MODEL);
        assertThat(p.getCostNanos()).isZero();
      });
      var alerts = d.alerts();
      assertThat(alerts).allSatisfy(a -> assertThat(a.getType()).isEqualTo(AlertType.UNPRICED_MODEL));
      assertThat(alerts).extracting(a -> a.getDimensionValue() + "@" + a.getWindowStart())
          .containsExactly("claude-future-9@2026-11-23T10:00:00Z", "claude-future-9@2026-11-23T11:00:00Z",
              "gpt-none@2026-11-23T10:00:00Z");
      assertThat(alerts.get(0).getEvidence()).containsEntry("price_status", "UNPRICED_MODEL");
    }
  }

  @Test
  void unreadableAndInvalidRecordsGoToTheDeadLetterTopicAndProcessingGoesOn() {
    try (Driver d = pricing()) {
      d.sendRaw("not avro at all".getBytes(StandardCharsets.UTF_8), 1_000L);
      d.send(TestCalls.call(Instant.parse("2026-11-23T10:00:00Z")).setInputTokens(-5).build());
      d.send(TestCalls.call(Instant.parse("2026-11-23T10:00:00Z")).setTenantId("a|b").build());
      d.send(call("2026-11-23T10:00:01Z"));
      List<TestRecord<byte[], byte[]>> dead = d.deadLetters();
      assertThat(dead).hasSize(3);
      assertThat(reason(dead.get(0))).contains("not a plain Avro LlmCall");
      assertThat(reason(dead.get(1))).isEqualTo("input_tokens: must be >= 0, was -5");
      assertThat(reason(dead.get(2))).isEqualTo("tenant_id: must not contain '|'");
      assertThat(new String(dead.get(0).headers().lastHeader(DeadLetterHeaders.SOURCE).value(), StandardCharsets.UTF_8))
          .isEqualTo(Driver.TOPICS.calls() + "/0/0");
      assertThat(dead.get(0).value()).isEqualTo("not avro at all".getBytes(StandardCharsets.UTF_8));
      assertThat(d.priced()).hasSize(1);
      assertThat(d.metrics.deadLettered.sum()).isEqualTo(3);
    }
  }

  @Test
  void callWithoutTenantIsSystemSpend() {
    try (Driver d = pricing()) {
      d.send(TestCalls.call(Instant.parse("2026-11-23T10:00:00Z")).setTenantId("").build());
      assertThat(d.priced()).extracting(p -> p.getCall().getTenantId()).containsExactly(Topics.SYSTEM_TENANT);
    }
  }

  @Test
  void anotherTenantReusingAnEventIdIsItsOwnCallAndBothAreBilled() {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    try (Driver d = pricing()) {
      LlmCall acme = TestCalls.call(now.minus(Duration.ofHours(3))).setEventId("1").setTenantId("acme").build();
      LlmCall beta = TestCalls.call(now).setEventId("1").setTenantId("beta").build();
      d.send(acme);
      d.send(beta);
      d.send(LlmCall.newBuilder(beta).setOutputTokens(999).build()); // beta's own retry: a duplicate
      // tenant ids that would spell the same key if simply joined: "ab" + "c1" vs "abc" + "1"
      d.send(TestCalls.call(now).setEventId("c1").setTenantId("ab").build());
      d.send(TestCalls.call(now).setEventId("1").setTenantId("abc").build());
      List<PricedCall> out = d.priced();
      assertThat(out).extracting(p -> p.getCall().getTenantId() + "/" + p.getCall().getEventId())
          .containsExactly("acme/1", "beta/1", "ab/c1", "abc/1");
      assertThat(out).extracting(PricedCall::getCostNanos).containsOnly(TestCalls.DEFAULT_COST);
      assertThat(d.metrics.duplicates.sum()).isEqualTo(1);
    }
  }

  @Test
  void absurdTokenCountsWrittenStraightToTheTopicAreDeadLetteredWithTheField() {
    Instant now = Instant.now();
    try (Driver d = pricing()) {
      d.send(TestCalls.call(now).setOutputTokens(Long.MAX_VALUE / 2).build());
      d.send(TestCalls.call(now).setCacheReadInputTokens(CallLimits.MAX_TOKENS_PER_COUNT + 1).build());
      d.send(TestCalls.call(now).setLatencyMs(Long.MAX_VALUE).build());
      d.send(TestCalls.call(now).setTenantId("be\nta").setEventId("x\u0000y").build());
      d.send(TestCalls.call(now).setOutputTokens(CallLimits.MAX_TOKENS_PER_COUNT).build()); // at the limit: priced
      List<TestRecord<byte[], byte[]>> dead = d.deadLetters();
      assertThat(dead).extracting(PricingTopologyTest::reason).containsExactly(
          "output_tokens: must be <= 10000000 (plausibility limit), was " + Long.MAX_VALUE / 2,
          "cache_read_input_tokens: must be <= 10000000 (plausibility limit), was 10000001",
          "latency_ms: must be <= 86400000 (plausibility limit), was " + Long.MAX_VALUE,
          "tenant_id: must not contain control characters; event_id: must not contain control characters");
      // 10M output tokens of sonnet at $15/MTok = $150
      assertThat(d.priced()).extracting(PricedCall::getCostNanos).containsExactly(150_000_000_000L + 3_000_000L);
    }
  }

  /** A call that costs more than one call can is refused where it came in: its own key and position, not re-keyed. */
  @Test
  void aMisroutedCallBeyondThePlausibleCostIsDeadLetteredUnderItsOwnKeyAndPosition(@TempDir Path dir) throws Exception {
    Path catalog = dir.resolve("prices.yaml");
    Files.writeString(catalog, """
        models:
          - model: claude-sonnet-4-6
            providers: [anthropic]
            prices:
              - effective_from: "%s"
                version: absurd
                input: "1000000000.00"
                output: "1.00"
                cache_read: "0.30"
                cache_write_5m: "3.75"
                cache_write_1h: "6.00"
        """.formatted(Instant.now().minus(Duration.ofDays(30))));
    try (Driver d = pricing(new Pricer(PriceCatalogLoader.load(catalog)), Duration.ofHours(24))) {
      byte[] value = io.spendstream.stream.kafka.InternalAvroSerde.of(LlmCall.class).encode(TestCalls.call(Instant.now()).build());
      d.driver.createInputTopic(Driver.TOPICS.calls(), new org.apache.kafka.common.serialization.ByteArraySerializer(),
          new org.apache.kafka.common.serialization.ByteArraySerializer())
          .pipeInput("direct-key".getBytes(StandardCharsets.UTF_8), value);
      List<TestRecord<byte[], byte[]>> dead = d.deadLetters();
      assertThat(dead).singleElement().satisfies(r -> {
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("direct-key");
        assertThat(reason(r)).startsWith("cost: 1000000000100000 nano-USD is above the plausibility limit"); // + 100 output tokens
        assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.SOURCE).value(), StandardCharsets.UTF_8))
            .startsWith(Driver.TOPICS.calls() + "/0/");
      });
      assertThat(d.metrics.rerouted.sum()).isZero();
      assertThat(d.priced()).isEmpty();
    }
  }

  @Test
  void aDeadLetterTooLargeForTheBrokerIsCutAndSaysItsSize() {
    try (Driver d = pricing()) {
      byte[] huge = new byte[900_000];
      d.sendRaw(huge, 1_000L);
      TestRecord<byte[], byte[]> dead = d.deadLetters().getFirst();
      assertThat(dead.value()).hasSize(512 * 1024);
      assertThat(new String(dead.headers().lastHeader(DeadLetterHeaders.TRUNCATED_FROM).value(), StandardCharsets.UTF_8))
          .isEqualTo("900000");
    }
  }

  private static String reason(TestRecord<byte[], byte[]> r) {
    return new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8);
  }
}
