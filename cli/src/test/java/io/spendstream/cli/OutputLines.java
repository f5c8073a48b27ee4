package io.spendstream.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A child process's output lines as they come, to wait for the line that says it is ready. */
final class OutputLines {
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Process process;

  OutputLines(Process process) {
    this.process = process;
    Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          lines.add(l);
        }
      } catch (IOException ended) {
        // the process ended
      }
    });
  }

  /** The next line, or null when none came within {@code wait}. */
  String poll(Duration wait) throws InterruptedException {
    return lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The lines read until one matched (found) or the process ended or the time ran out (not found). */
  record Seen(List<String> lines, boolean found) {
    String last() {
      return lines.getLast();
    }
  }

  /** The next lines, up to and including the first that {@code wanted} matches. */
  Seen until(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (l != null) {
        seen.add(l);
        if (wanted.test(l)) {
          return new Seen(seen, true);
        }
      } else if (!process.isAlive() && lines.isEmpty()) {
        break;
      }
    }
    return new Seen(seen, false);
  }
}
