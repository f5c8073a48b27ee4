package io.spendstream.chargeback;

import io.spendstream.chargeback.usage.DayUsage;
import io.spendstream.chargeback.usage.Usage;
import io.spendstream.chargeback.usage.UsageKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Internal consistency of one day, per tenant × model × hour: llm_calls must equal the stream's windows and the
 * hourly rollup, to the nano-USD and the token. Which pair disagrees, and in which direction, locates the cause:
 * <ul>
 *   <li>llm_calls = rollup but windows lower: calls the stream left out of its windows — events later than the
 *       grace period ("too late", counted by the processor) or windows not final yet;
 *   <li>llm_calls = rollup but windows higher: the stream priced calls that are not in ClickHouse — a sink gap;
 *   <li>llm_calls ≠ rollup: rows written around the materialized view, or the rollup was changed by hand.
 * </ul>
 */
public final class ConsistencyCheck {
  static final String TOO_LATE = "calls in llm_calls but not in the stream's windows: events later than the window grace"
      + " (too late; see spendstream_processor_too_late) or windows not final yet";
  static final String SINK_GAP = "the stream priced calls that are not in llm_calls: a sink gap (calls lost or not landed yet)";
  static final String ROLLUP = "llm_calls and its hourly rollup disagree: rows written around the materialized view or the"
      + " rollup was changed";

  private ConsistencyCheck() {}

  public static List<Discrepancy> check(DayUsage day) {
    TreeSet<UsageKey> keys = new TreeSet<>(day.calls().keySet());
    keys.addAll(day.windows().keySet());
    keys.addAll(day.rollup().keySet());
    List<Discrepancy> out = new ArrayList<>();
    for (UsageKey k : keys) {
      Usage raw = get(day.calls(), k);
      Usage rollup = get(day.rollup(), k);
      Usage windows = get(day.windows(), k);
      String rollupDiff = raw.firstDifference(rollup);
      if (rollupDiff != null) {
        out.add(new Discrepancy(k, "llm_calls vs llm_calls_hourly", raw, rollup, rollupDiff, ROLLUP));
      }
      String windowDiff = raw.firstDifference(windows);
      if (windowDiff != null) {
        boolean windowsLower = windows.calls() < raw.calls() || windows.calls() == raw.calls() && windows.costNanos() < raw.costNanos();
        out.add(new Discrepancy(k, "llm_calls vs cost_windows", raw, windows, windowDiff, windowsLower ? TOO_LATE : SINK_GAP));
      }
    }
    return out;
  }

  private static Usage get(Map<UsageKey, Usage> m, UsageKey k) {
    return m.getOrDefault(k, Usage.ZERO);
  }
}
