package io.spendstream.infra.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM started with the same java binary as this one, output to a log file, stopped gracefully
 * (SIGTERM, then SIGKILL after a grace period). Also stopped when this JVM exits, so tests leave no
 * process behind.
 */
public final class JavaProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JavaProcess.class);

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread shutdownHook;

  private JavaProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.shutdownHook = new Thread(() -> stop(Duration.ofSeconds(10)), name + "-stopper");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts {@code java <jvmArgs> <args>} in {@code workDir}, stdout and stderr to {@code logFile}. */
  public static JavaProcess start(String name, Path workDir, List<String> jvmArgs, List<String> args, Path logFile) {
    return start(name, workDir, jvmArgs, args, logFile, Map.of());
  }

  /** As above, with extra environment variables (secrets a service reads from its environment). */
  public static JavaProcess start(String name, Path workDir, List<String> jvmArgs, List<String> args, Path logFile,
      Map<String, String> env) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(jvmArgs);
    cmd.addAll(args);
    try {
      Files.createDirectories(logFile.getParent());
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      pb.environment().putAll(env);
      Process p = pb.start();
      log.info("component={} event=started pid={} log={}", name, p.pid(), logFile);
      return new JavaProcess(name, p, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + e.getMessage(), e);
    }
  }

  static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * Polls {@code ready} until it is true. Fails fast if the process dies, and names the log file
   * either way so the cause is one command away.
   */
  public void awaitReady(BooleanSupplier ready, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with code " + process.exitValue()
            + " before it was ready; see " + logFile + lastErrors(logFile));
      }
      if (ready.getAsBoolean()) {
        return;
      }
      sleep(Duration.ofMillis(200));
    }
    stop(Duration.ofSeconds(5));
    throw new IllegalStateException(name + " was not ready within " + timeout + "; see " + logFile);
  }

  /**
   * The log's last few error lines (or its last lines when none says ERROR), so the cause is in the message itself:
   * a test's temporary directory, and its log, may be gone by the time someone reads the failure.
   */
  static String lastErrors(Path logFile) {
    try {
      List<String> lines = Files.readAllLines(logFile);
      List<String> tail = lines.subList(Math.max(0, lines.size() - 400), lines.size());
      List<String> errors = tail.stream().filter(l -> l.contains("ERROR") || l.contains("Exception")).toList();
      List<String> pick = errors.isEmpty() ? tail : errors;
      List<String> shown = pick.subList(Math.max(0, pick.size() - 3), pick.size());
      StringBuilder b = new StringBuilder();
      shown.forEach(l -> b.append("\n  | ").append(l, 0, Math.min(l.length(), 300)));
      return b.toString();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** Waits for the process to exit by itself; true when it did within {@code timeout}. */
  public boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public int exitCode() {
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  /** SIGTERM, wait up to {@code grace}, then SIGKILL. Idempotent. */
  public void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("component={} event=kill reason=\"no exit within {}\"", name, grace);
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    log.info("component={} event=stopped pid={}", name, process.pid());
  }

  /** SIGKILL, as a crash would: no shutdown hooks, no flush. Waits until the process is gone. */
  public void kill() {
    if (!process.isAlive()) {
      return;
    }
    try {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("component={} event=killed pid={}", name, process.pid());
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(15));
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // already in shutdown: the hook runs (or ran) stop(), which is idempotent
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
