package io.spendstream.tools.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One scenario's accounting: what the gateway acknowledged against what ClickHouse holds, windows against raw
 * rows, alerts on the topic against what the receiver got, and the scenario's own checks (each a failure message
 * when it failed). The verdict is PASS only when every number is exact.
 *
 * @param landed acknowledged events present in llm_calls (at least once)
 * @param rows rows in llm_calls for the acknowledged events
 * @param unexpected events of the tenant in llm_calls that were never acknowledged
 * @param stormAlerts RETRY_STORM alerts on alerts.v1 per injected prompt hash
 * @param alertsOnTopic distinct alerts of the tenant on alerts.v1
 * @param alertsDelivered of those, how many reached the webhook receiver
 * @param receiverRepeats notifications received again with an idempotency key seen before (receivers drop them)
 * @param windows one-minute windows (route × model × minute) compared; -1 when not checked
 */
public record Outcome(String scenario, String fault, long acked, long landed, long rows, long unexpected, Set<String> stormHashes,
    Map<String, Long> stormAlerts, int alertsOnTopic, int alertsDelivered, long receiverRepeats, int windows,
    List<String> windowDifferences, List<String> notes, List<String> failedChecks) {
  static final String WINDOWS_NOT_CHECKED = "windows not checked";

  public long duplicates() {
    return rows - landed;
  }

  public long lost() {
    return acked - landed;
  }

  Outcome withWindows(Ledger.WindowCheck w) {
    return new Outcome(scenario, fault, acked, landed, rows, unexpected, stormHashes, stormAlerts, alertsOnTopic, alertsDelivered,
        receiverRepeats, w.windows(), w.differences(), notes, failedChecks);
  }

  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (lost() > 0) {
      p.add(lost() + " acknowledged events missing from llm_calls");
    }
    if (duplicates() > 0) {
      p.add(duplicates() + " duplicate rows in llm_calls");
    }
    if (unexpected > 0) {
      p.add(unexpected + " rows in llm_calls that were never acknowledged");
    }
    for (String hash : stormHashes) {
      long n = stormAlerts.getOrDefault(hash, 0L);
      if (n != 1) {
        p.add("storm " + hash + ": " + n + " RETRY_STORM alerts on alerts.v1 (expected exactly 1)");
      }
    }
    if (alertsDelivered != alertsOnTopic) {
      p.add((alertsOnTopic - alertsDelivered) + " of " + alertsOnTopic + " alerts never reached the receiver");
    }
    if (windows < 0) {
      p.add(WINDOWS_NOT_CHECKED);
    } else if (!windowDifferences.isEmpty()) {
      p.add(windowDifferences.size() + " windows differ from the raw rows, e.g. " + windowDifferences.getFirst());
    }
    p.addAll(failedChecks);
    return p;
  }

  public boolean passed() {
    return problems().isEmpty();
  }

  /** The Markdown table of all scenarios. */
  public static String table(List<Outcome> outcomes) {
    StringBuilder b = new StringBuilder();
    b.append("| scenario | fault injected under load | events acked | in ClickHouse | duplicates | lost | windows = raw sums |"
        + " alerts (storms on topic · delivered) | other checks | verdict |\n");
    b.append("|---|---|---:|---:|---:|---:|---|---|---|---|\n");
    for (Outcome o : outcomes) {
      long stormsOnce = o.stormHashes().stream().filter(h -> o.stormAlerts().getOrDefault(h, 0L) == 1).count();
      String windows = o.windows() < 0 ? "not checked"
          : o.windowDifferences().isEmpty() ? o.windows() + "/" + o.windows() + " exact"
          : (o.windows() - o.windowDifferences().size()) + "/" + o.windows() + " exact";
      String alerts = "%d/%d storms once · %d/%d delivered%s".formatted(stormsOnce, o.stormHashes().size(), o.alertsDelivered(),
          o.alertsOnTopic(), o.receiverRepeats() > 0 ? " (+" + o.receiverRepeats() + " repeat, same key)" : "");
      b.append("| %s | %s | %,d | %,d | %d | %d | %s | %s | %s | %s |\n".formatted(o.scenario(), o.fault(), o.acked(), o.landed(),
          o.duplicates(), o.lost(), windows, alerts, String.join("; ", o.notes()), o.passed() ? "PASS" : "**FAIL**"));
    }
    return b.toString();
  }
}
