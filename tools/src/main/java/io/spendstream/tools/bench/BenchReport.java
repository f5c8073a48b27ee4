package io.spendstream.tools.bench;

import java.util.List;
import java.util.Locale;

/**
 * Every stage's benchmark in one Markdown table, each figure beside the bare baseline measured in the same run and
 * the goal it is held to.
 */
public final class BenchReport {
  private BenchReport() {}

  public static String markdown(String when, String machine, GatewayBenchmark.Result g, int gatewayBatch, int gatewayConnections,
      ProcessorBenchmark.Result p, int partitions, SinkBenchmark.Result s) {
    StringBuilder b = new StringBuilder();
    b.append("Benchmarks, ").append(when).append(", ").append(machine).append(":\n\n");
    b.append("| stage | measured | result | bare baseline, same run | ratio | goal |\n");
    b.append("|---|---|---:|---:|---:|---|\n");
    row(b, "ingest gateway", "events/s acknowledged (HTTP batches of %d, %d connections; p50 %.1f ms, p99 %.1f ms per request)"
        .formatted(gatewayBatch, gatewayConnections, g.p50Millis(), g.p99Millis()), rate(g.gatewayEventsPerSecond()),
        rate(g.bareEventsPerSecond()) + " (Kafka producer, same records)", percent(g.ratio()), "≥ 40 %");
    row(b, "stream processor", "events/s through all topologies, exactly_once_v2, %d partitions (medians)".formatted(partitions),
        rate(p.fullRate()), rate(p.bareRate()) + " (Kafka Streams 1-min count+sum)", ratioCell(p), "≥ 70 %");
    row(b, "stream processor, pricing alone", "events/s through decode, dedupe, price, write llm.calls.priced.v1 only: the "
        + "work every call needs, so a ceiling for the row above (medians)", rate(p.pricingRate()), rate(p.bareRate())
        + " (same)", pricingRatioCell(p), "—");
    row(b, "sink", "rows/s llm.calls.priced.v1 → llm_calls", rate(s.sinkRate()), rate(s.bareRate()) + " (bare insert, same client)",
        percent(s.ratio()), "—");
    row(b, "end-to-end freshness", "produced to llm.calls.v1 → visible in llm_calls, %d calls".formatted(s.fresh()),
        "p50 %.0f ms, p99 %.0f ms".formatted(s.p50Millis(), s.p99Millis()), "—", "—", "seconds");
    row(b, "retry-storm alert latency", "crossing call produced → alert on alerts.v1, %d/%d storms, %s background"
        .formatted(p.alerted(), p.storms(), rate(p.backgroundRate())), "p50 %.0f ms, p99 %.0f ms".formatted(p.p50Millis(),
        p.p99Millis()), "—", "—", "p99 ≤ 2 s");
    return b.toString();
  }

  /** The median ratio, and with several rounds their spread: "31 % (median of 3 rounds: 28–34 %)". */
  public static String ratioCell(ProcessorBenchmark.Result p) {
    return spreadCell(p.ratio(), p.ratios());
  }

  /** The same for the pricing topology alone. */
  public static String pricingRatioCell(ProcessorBenchmark.Result p) {
    return spreadCell(p.pricingRatio(), p.pricingRatios());
  }

  private static String spreadCell(double median, List<Double> ratios) {
    if (ratios.size() < 2) {
      return percent(median);
    }
    double min = ratios.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = ratios.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    return String.format(Locale.ROOT, "%s (median of %d rounds: %.0f–%.0f %%)", percent(median), ratios.size(), min * 100,
        max * 100);
  }

  private static void row(StringBuilder b, String... cells) {
    b.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private static String rate(double perSecond) {
    return String.format(Locale.ROOT, "%,.0f/s", perSecond);
  }

  private static String percent(double ratio) {
    return String.format(Locale.ROOT, "%.0f %%", ratio * 100);
  }
}
