package io.spendstream.stream.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.stream.ProcessorMetrics;
import io.spendstream.stream.SpendTopology;
import io.spendstream.stream.kafka.StoreKind;
import io.spendstream.stream.TestCalls;
import io.spendstream.stream.config.ProcessorConfig;
import io.spendstream.stream.windows.CostWindowStateSerde;
import io.spendstream.stream.windows.CostWindows;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

/**
 * The merge stage alone, fed shard reports in orders a real broker can produce: a window is final only when every
 * shard's watermark has passed it, whatever order the shards catch up in, and its total is the exact sum.
 */
class MinuteMergeTest {
  private static final int SHARDS = 3;
  private static final long MINUTE = 60_000;
  private final Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));

  private static Topology merge(int shards) {
    MinuteMerge.Stores m = SpendTopology.MERGE_STORES;
    Topology t = new Topology();
    t.addSource("reports", new StringDeserializer(), new ShardReportSerde().deserializer(), "reports");
    t.addProcessor("merge", () -> new MinuteMerge(ProcessorConfig.defaults(), shards, m, new ProcessorMetrics()), "reports");
    SpendTopology.mergeStores(StoreKind.IN_MEMORY).forEach(b -> t.addStateStore(b, "merge"));
    t.addSink("out", "out", new StringSerializer(), (topic, v) -> v instanceof CostWindow w
        ? new CostWindowStateSerde().serializer().serialize(topic, w) : new byte[0], "merge");
    return t;
  }

  private CostWindow partial(int minute, String tenant, long cost, int shard) {
    long start = base.toEpochMilli() + minute * MINUTE;
    CostWindow w = CostWindows.add(CostWindows.finish(CostWindows.empty(), start, start + MINUTE),
        TestCalls.costing(TestCalls.call(Instant.ofEpochMilli(start)).setTenantId(tenant).build(), cost));
    w.setShard(shard);
    return w;
  }

  @Test
  void aWindowIsFinalOnlyWhenEveryShardHasPassedItAndIsTheSumOfAllShards() {
    try (TopologyTestDriver d = new TopologyTestDriver(merge(SHARDS), props())) {
      TestInputTopic<String, ShardReport> in = d.createInputTopic("reports", new StringSerializer(),
          new ShardReportSerde().serializer());
      TestOutputTopic<String, byte[]> out = d.createOutputTopic("out", new StringDeserializer(),
          Serdes.ByteArray().deserializer());
      long end0 = base.toEpochMilli() + MINUTE;
      in.pipeInput("acme", new ShardReport.Partial(0, partial(0, "acme", 100, 0)));
      in.pipeInput("", new ShardReport.Watermark(0, end0 + 10 * MINUTE)); // shard 0 raced ahead after an outage
      in.pipeInput("acme", new ShardReport.Partial(2, partial(0, "acme", 7, 2)));
      in.pipeInput("", new ShardReport.Watermark(2, end0));
      assertThat(out.isEmpty()).as("shard 1 has not passed the minute: nothing is final").isTrue();
      in.pipeInput("acme", new ShardReport.Partial(1, partial(0, "acme", 30, 1)));
      in.pipeInput("", new ShardReport.Watermark(1, end0));
      List<CostWindow> windows = out.readValuesToList().stream().map(b -> new CostWindowStateSerde().deserializer()
          .deserialize("out", b)).toList();
      assertThat(windows).singleElement().satisfies(w -> {
        assertThat(w.getCostNanos()).isEqualTo(137);
        assertThat(w.getCalls()).isEqualTo(3);
        assertThat(w.getShard()).isEqualTo(MinuteMerge.MERGED_SHARD);
      });
    }
  }

  @Test
  void anyInterleavingOfShardsGivesTheSameExactWindows() {
    Random r = new Random(7);
    List<Long> expected = new ArrayList<>(Collections.nCopies(60, 0L));
    List<List<ShardReport>> perShard = new ArrayList<>();
    for (int s = 0; s < SHARDS; s++) {
      List<ShardReport> reports = new ArrayList<>();
      for (int m = 0; m < 60; m++) {
        if (r.nextInt(3) > 0) {
          long cost = 1 + r.nextInt(1_000_000);
          expected.set(m, expected.get(m) + cost);
          reports.add(new ShardReport.Partial(s, partial(m, "acme", cost, s)));
        }
        reports.add(new ShardReport.Watermark(s, base.toEpochMilli() + (m + 1) * MINUTE));
      }
      perShard.add(reports);
    }
    for (int round = 0; round < 5; round++) {
      // each shard's reports stay in order (one producer per partition); shards interleave at random
      List<Integer> cursors = new ArrayList<>(Collections.nCopies(SHARDS, 0));
      try (TopologyTestDriver d = new TopologyTestDriver(merge(SHARDS), props())) {
        TestInputTopic<String, ShardReport> in = d.createInputTopic("reports", new StringSerializer(),
            new ShardReportSerde().serializer());
        TestOutputTopic<String, byte[]> out = d.createOutputTopic("out", new StringDeserializer(),
            Serdes.ByteArray().deserializer());
        while (true) {
          List<Integer> open = new ArrayList<>();
          for (int s = 0; s < SHARDS; s++) {
            if (cursors.get(s) < perShard.get(s).size()) {
              open.add(s);
            }
          }
          if (open.isEmpty()) {
            break;
          }
          int s = open.get(r.nextInt(open.size()));
          int burst = 1 + r.nextInt(40); // one shard catching up far ahead of the others
          for (int i = 0; i < burst && cursors.get(s) < perShard.get(s).size(); i++) {
            ShardReport rep = perShard.get(s).get(cursors.get(s));
            in.pipeInput(rep instanceof ShardReport.Partial p ? p.window().getTenantId() : "", rep);
            cursors.set(s, cursors.get(s) + 1);
          }
        }
        List<Long> minutes = new ArrayList<>(Collections.nCopies(60, 0L));
        for (byte[] b : out.readValuesToList()) {
          CostWindow w = new CostWindowStateSerde().deserializer().deserialize("out", b);
          if (w.getWindowSizeMs() == MINUTE) {
            int m = (int) ((w.getWindowStart().toEpochMilli() - base.toEpochMilli()) / MINUTE);
            assertThat(minutes.get(m)).as("one record per window").isZero();
            minutes.set(m, w.getCostNanos());
          } else {
            assertThat(w.getCostNanos()).as("the hour is the sum of its minutes")
                .isEqualTo(expected.stream().mapToLong(Long::longValue).sum());
          }
        }
        assertThat(minutes).isEqualTo(expected);
      }
    }
  }

  private static Properties props() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "merge-test");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return p;
  }
}
