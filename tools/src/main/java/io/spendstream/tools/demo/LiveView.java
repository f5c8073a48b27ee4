package io.spendstream.tools.demo;

import io.spendstream.alerting.AlertText;
import io.spendstream.pricing.Money;
import io.spendstream.schemas.avro.Alert;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The one screen {@code up --demo} redraws: traffic in, lag, spend per tenant in the last minute, the latest alert of each type. */
public final class LiveView {
  /** What one redraw shows; {@code spendLastMinute} null while ClickHouse cannot be asked. */
  public record Snapshot(long elapsedSeconds, double eventsPerSecond, long accepted, long retried, String lastError,
      long processorLag, long sinkLag, Map<String, Long> spendLastMinute, List<Alert> latestAlerts, List<String> tryNext) {}

  private LiveView() {}

  public static String render(Snapshot s) {
    List<String> l = new ArrayList<>();
    l.add(String.format("spendstream demo — %d:%02d running   events in %.1f/s   acknowledged %,d%s", s.elapsedSeconds() / 60,
        s.elapsedSeconds() % 60, s.eventsPerSecond(), s.accepted(),
        s.retried() > 0 ? "   gateway retries " + s.retried() + (s.lastError().isEmpty() ? "" : " (" + s.lastError() + ")") : ""));
    l.add(String.format("lag: stream processor %s, sink %s", lag(s.processorLag()), lag(s.sinkLag())));
    l.add("");
    l.add("spend per tenant, last 60 s (from ClickHouse):");
    if (s.spendLastMinute() == null) {
      l.add("  (ClickHouse not answering yet)");
    } else if (s.spendLastMinute().isEmpty()) {
      l.add("  (nothing landed yet)");
    } else {
      s.spendLastMinute().forEach((t, n) -> l.add(String.format("  %-16s %14s  %s", t, Money.usd(n), bar(n, s.spendLastMinute()))));
    }
    l.add("");
    l.add("latest alert of each type:");
    if (s.latestAlerts().isEmpty()) {
      l.add("  (none yet: the incidents start after the warm-up)");
    } else {
      s.latestAlerts().forEach(a -> l.add("  " + AlertText.line(a)));
    }
    l.add("");
    l.add("try next:");
    s.tryNext().forEach(t -> l.add("  " + t));
    l.add("Ctrl-C stops everything.");
    return String.join("\n", l) + "\n";
  }

  private static String lag(long n) {
    return n < 0 ? "?" : String.format("%,d", n);
  }

  private static String bar(long n, Map<String, Long> all) {
    long max = all.values().stream().mapToLong(Long::longValue).max().orElse(1);
    return "#".repeat((int) Math.max(n > 0 ? 1 : 0, 30 * n / Math.max(1, max)));
  }
}
