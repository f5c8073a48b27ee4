package io.spendstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.pricing.Pricer;
import io.spendstream.schemas.CallKeys;
import io.spendstream.schemas.DeadLetterHeaders;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.kafka.InternalAvroSerde;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.merge.MinuteMerge;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class SpendTopologyTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/spend-topology.txt");
  private final Instant minute = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(1));

  private static Topology topology(ProcessorMetrics m) {
    return SpendTopology.build(Driver.TOPICS, Driver.SERDES, new Pricer(PriceCatalogLoader.defaults()),
        ProcessorConfig.defaults(), StoreKind.IN_MEMORY, m, 1);
  }

  /**
   * The shape of the processor is reviewed, not discovered: any new sub-topology, repartition, store or sink shows
   * up as a diff of this file. To accept a change on purpose: {@code -Dgolden.update=true}.
   */
  @Test
  void topologyIsTheReviewedOne() throws IOException {
    String described = topology(new ProcessorMetrics()).describe().toString();
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(GOLDEN, described);
    }
    String golden;
    try (InputStream in = SpendTopologyTest.class.getResourceAsStream("/golden/spend-topology.txt")) {
      assertThat(in).as("golden file " + GOLDEN + " (create it with -Dgolden.update=true)").isNotNull();
      golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(described).isEqualTo(golden);
    assertThat(described).contains("Sub-topology: 0", "Sub-topology: 1").doesNotContain("Sub-topology: 2");
  }

  /** docs/architecture.md describes this topology: every store and topic describe() names is named there. */
  @Test
  void theArchitectureDocNamesEveryStoreAndTopic() throws IOException {
    String described = topology(new ProcessorMetrics()).describe().toString();
    String doc = Files.readString(Path.of("../docs/architecture.md"));
    java.util.Set<String> names = new java.util.TreeSet<>();
    java.util.regex.Matcher lists = java.util.regex.Pattern.compile("(?:stores|topics): \\[([^\\]]*)\\]").matcher(described);
    while (lists.find()) {
      for (String n : lists.group(1).split(", ")) {
        if (!n.isBlank()) {
          names.add(n);
        }
      }
    }
    java.util.regex.Matcher single = java.util.regex.Pattern.compile("\\(topic: ([^)]+)\\)").matcher(described);
    while (single.find()) {
      names.add(single.group(1));
    }
    assertThat(names).hasSizeGreaterThan(20);
    assertThat(names).as("stores and topics of the topology that docs/architecture.md does not name")
        .filteredOn(n -> !doc.contains("`" + n + "`")).isEmpty();
  }

  @Test
  void aCallOnAnotherKeyIsReroutedOnceThenPricedAndDeduplicated() {
    ProcessorMetrics m = new ProcessorMetrics();
    try (Driver d = new Driver(topology(m), m)) {
      TestInputTopic<byte[], byte[]> calls = d.driver.createInputTopic(Topics.LLM_CALLS, new ByteArraySerializer(),
          new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> rerouted = d.driver.createOutputTopic(Topics.LLM_CALLS_REROUTED,
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
      LlmCall c = TestCalls.call(minute).setPromptHash("3f9a0c1d2e4b5a69").build();
      byte[] value = InternalAvroSerde.of(LlmCall.class).encode(c);
      calls.pipeInput("whatever-key".getBytes(StandardCharsets.UTF_8), value, c.getTimestamp());
      // the test driver, like the broker, delivers the rerouted record back to the processor: priced once, there
      List<TestRecord<byte[], byte[]>> moved = rerouted.readRecordsToList();
      assertThat(moved).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo(CallKeys.bytes(c)));
      assertThat(d.priced()).hasSize(1);
      d.send(c); // a copy arriving correctly keyed: a duplicate
      assertThat(d.priced()).isEmpty();
      assertThat(m.rerouted.sum()).isEqualTo(1);
      assertThat(m.duplicates.sum()).isEqualTo(1);
      // a misrouted record on the rerouted topic is processed where it is, never bounced again
      TestInputTopic<byte[], byte[]> reroutedIn = d.driver.createInputTopic(Topics.LLM_CALLS_REROUTED,
          new ByteArraySerializer(), new ByteArraySerializer());
      reroutedIn.pipeInput("other".getBytes(StandardCharsets.UTF_8), InternalAvroSerde.of(LlmCall.class)
          .encode(TestCalls.call(minute).build()), c.getTimestamp());
      assertThat(rerouted.isEmpty()).isTrue();
      assertThat(d.priced()).hasSize(1);
      assertThat(m.rerouted.sum()).isEqualTo(1);
    }
  }

  @Test
  void aTickClosesWindowsOfAnIdlePartitionAndAStormAlertsOnItsCrossingCall() {
    ProcessorMetrics m = new ProcessorMetrics();
    try (Driver d = new Driver(topology(m), m)) {
      for (int i = 0; i < 6; i++) {
        d.send(TestCalls.call(minute.plusSeconds(i)).setPromptHash("00000000000000aa").setOutputTokens(0).build());
      }
      assertThat(d.alerts()).singleElement().satisfies(a -> assertThat(a.getType()).isEqualTo(AlertType.RETRY_STORM));
      assertThat(d.windows()).isEmpty();
      TestInputTopic<byte[], byte[]> calls = d.driver.createInputTopic(Topics.LLM_CALLS, new ByteArraySerializer(),
          new ByteArraySerializer());
      Instant tick = minute.plus(Duration.ofMinutes(6)); // the minute's end + 5 min grace
      calls.pipeInput(new TestRecord<>(null, null, new RecordHeaders().add(Topics.TICK_HEADER, new byte[0]), tick));
      List<CostWindow> windows = d.windows();
      assertThat(windows).singleElement().satisfies(w -> {
        assertThat(w.getCalls()).isEqualTo(6);
        assertThat(w.getCostNanos()).isEqualTo(6 * 3_000_000L); // 1000 input tokens at $3/M, no output
        assertThat(w.getShard()).isEqualTo(MinuteMerge.MERGED_SHARD);
      });
      assertThat(m.ticks.sum()).isEqualTo(1);
      assertThat(d.deadLetters()).isEmpty();
    }
  }

  /**
   * A backfill as old as the gateway takes, beside live traffic: its duplicates are still dropped (claims are kept
   * for dedupe.max_age behind the newest call), and a call older than that is dead-lettered, not priced unchecked.
   */
  @Test
  void aWeekOldBackfillBesideLiveTrafficIsDeduplicatedAndAnOlderCallIsDeadLettered() {
    ProcessorMetrics m = new ProcessorMetrics();
    Instant now = Instant.now();
    Instant weekOld = now.minus(Duration.ofDays(7)).plus(Duration.ofHours(1));
    try (Driver d = new Driver(topology(m), m)) {
      d.send(TestCalls.call(now).setEventId("live").build());
      LlmCall old = TestCalls.call(weekOld).setEventId("backfill").build();
      d.send(old);
      d.send(TestCalls.call(now.plusSeconds(1)).setEventId("live-2").build());
      d.send(old);
      assertThat(d.priced()).extracting(p -> p.getCall().getEventId()).containsExactly("live", "backfill", "live-2");
      assertThat(m.duplicates.sum()).isEqualTo(1);
      d.send(TestCalls.call(now.minus(Duration.ofDays(8))).setEventId("too-old").build());
      assertThat(d.priced()).isEmpty();
      assertThat(d.deadLetters()).singleElement().satisfies(r -> assertThat(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8))
          .startsWith("timestamp: ").contains("older than dedupe.max_age (PT168H)"));
    }
  }
}
