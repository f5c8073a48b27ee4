package io.spendstream.chargeback.usage;

import java.util.Map;

/**
 * One day's usage by the three independent paths: every priced call in {@code llm_calls}; the stream's final
 * cost windows; and the hourly rollup ClickHouse maintains from llm_calls inserts. {@code windowSizeMs} is the
 * window size the stream path was read from (0 when the day has no windows).
 */
public record DayUsage(Map<UsageKey, Usage> calls, Map<UsageKey, Usage> windows, Map<UsageKey, Usage> rollup, long windowSizeMs) {
  public DayUsage {
    calls = Map.copyOf(calls);
    windows = Map.copyOf(windows);
    rollup = Map.copyOf(rollup);
  }
}
