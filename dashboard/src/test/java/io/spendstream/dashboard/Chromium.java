package io.spendstream.dashboard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's chromium, headless, for tests of the page. Missing is a failure with the fix, never a skip. */
final class Chromium {
  private Chromium() {}

  static String binary() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("the dashboard test needs a headless browser: apt-get install chromium (.ci/run does)");
  }

  /** Runs chromium to the end; returns stdout (the DOM for --dump-dom). */
  static String run(Path dir, List<String> command) throws IOException, InterruptedException {
    Path err = dir.resolve("chromium-" + System.nanoTime() + ".log");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 90 s: " + Files.readString(err));
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium exited " + p.exitValue() + ": " + Files.readString(err));
    }
    return out;
  }
}
