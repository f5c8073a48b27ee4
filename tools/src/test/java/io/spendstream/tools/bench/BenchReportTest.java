package io.spendstream.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {
  @Test
  void oneRowPerStageWithItsBaselineRatioAndGoal() {
    String md = BenchReport.markdown("2026-11-23T18:00Z", "2 cores", new GatewayBenchmark.Result(600_000, 20_000, 40_000, 12.5, 80.25,
        300L << 20, 100L << 20), 500, 8, new ProcessorBenchmark.Result(300_000, 6_000, 20_000, 11_000, 3_000, 30, 30, 344,
        510, 600, List.of(0.34, 0.28, 0.30), List.of(0.5, 0.55, 0.61)), 3,
        new SinkBenchmark.Result(200_000, 29_000, 45_000, 55_000, 300, 322, 684, 900));
    assertThat(md).startsWith("Benchmarks, 2026-11-23T18:00Z, 2 cores:")
        .contains("| ingest gateway | events/s acknowledged (HTTP batches of 500, 8 connections; p50 12.5 ms, p99 80.3 ms per request)"
            + " | 20,000/s | 40,000/s (Kafka producer, same records) | 50 % | ≥ 40 % |")
        .contains("| stream processor | events/s through all topologies, exactly_once_v2, 3 partitions (medians) | 6,000/s |"
            + " 20,000/s (Kafka Streams 1-min count+sum) | 30 % (median of 3 rounds: 28–34 %) | ≥ 70 % |")
        .contains("| stream processor, pricing alone | events/s through decode, dedupe, price, write llm.calls.priced.v1 only:"
            + " the work every call needs, so a ceiling for the row above (medians) | 11,000/s | 20,000/s (same)"
            + " | 55 % (median of 3 rounds: 50–61 %) | — |")
        .contains("| sink | rows/s llm.calls.priced.v1 → llm_calls | 29,000/s | 45,000/s (bare insert, same client) | 64 % | — |")
        .contains("| end-to-end freshness | produced to llm.calls.v1 → visible in llm_calls, 300 calls | p50 322 ms, p99 684 ms |")
        .contains("| retry-storm alert latency | crossing call produced → alert on alerts.v1, 30/30 storms, 3,000/s background"
            + " | p50 344 ms, p99 510 ms | — | — | p99 ≤ 2 s |");
    assertThat(md.lines().filter(l -> l.startsWith("| ")).count()).isEqualTo(7);
  }
}
