package io.spendstream.stream.replay;

import io.spendstream.schemas.avro.AlertType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a replay read and wrote; {@link #render} is the one-screen summary. */
public record ReplaySummary(Path input, long lines, long eventsRead, List<String> badLines, long badLineCount, long priced,
    long duplicates, long deadLetters, long unpriced, long costNanos, Instant firstEvent, Instant lastEvent,
    Map<Duration, Long> windowsBySize, long windowsOpenAtEnd, Map<Duration, Long> tooLate, Map<AlertType, Long> alerts,
    List<String> firstAlerts, Path outDir) {

  public String render() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("replay of %s: %,d lines, %,d events read, %,d bad lines skipped%n", input, lines, eventsRead,
        badLineCount));
    badLines.forEach(l -> b.append("  ").append(l).append('\n'));
    if (badLineCount > badLines.size()) {
      b.append(String.format("  ... and %,d more bad lines%n", badLineCount - badLines.size()));
    }
    if (firstEvent != null) {
      b.append(String.format("  event time  %s .. %s%n", firstEvent, lastEvent));
    }
    b.append(String.format("  priced      %,d calls, %s (%,d nano-USD); %,d duplicates dropped; %,d unpriced; %,d dead letters%n",
        priced, io.spendstream.pricing.Money.usd(costNanos), costNanos, duplicates, unpriced, deadLetters));
    StringBuilder w = new StringBuilder();
    windowsBySize.forEach((size, n) -> w.append(w.isEmpty() ? "" : ", ").append(io.spendstream.stream.Labels.of(size))
        .append(": ").append(String.format("%,d", n)));
    b.append(String.format("  windows     %s (%,d were still open at the end of the file and are written as final)%n", w,
        windowsOpenAtEnd));
    StringBuilder late = new StringBuilder();
    tooLate.forEach((size, n) -> late.append(late.isEmpty() ? "" : ", ").append(io.spendstream.stream.Labels.of(size))
        .append(": ").append(n));
    b.append(String.format("  too late    %s (priced, but after their window closed: in priced.jsonl, not in windows.jsonl)%n",
        late));
    StringBuilder a = new StringBuilder();
    alerts.forEach((t, n) -> a.append(a.isEmpty() ? "" : ", ").append(t).append(' ').append(n));
    b.append(String.format("  alerts      %s%n", a.isEmpty() ? "none" : a));
    firstAlerts.forEach(m -> b.append("    ").append(m).append('\n'));
    b.append(String.format("  wrote       %s, %s, %s%n", outDir.resolve("priced.jsonl"), outDir.resolve("windows.jsonl"),
        outDir.resolve("alerts.jsonl")));
    return b.toString();
  }
}
