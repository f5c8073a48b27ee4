package io.spendstream.infra.stack;

import io.spendstream.infra.clickhouse.ClickHouseEndpointProcess;
import io.spendstream.infra.kafka.KafkaBroker;
import io.spendstream.infra.process.HttpProbe;
import io.spendstream.infra.registry.Registries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code status} and {@code down} for a stack another process started, found through its stack file. */
public final class StackControl {
  private StackControl() {}

  /** One component as seen from outside. */
  public record ComponentStatus(String name, long pid, boolean alive, boolean healthy, String endpoint, long rssBytes,
      Path log) {}

  public static Optional<List<ComponentStatus>> status(Path stackFile) {
    return StackFile.read(stackFile).map(f -> f.components().stream().map(c -> {
      boolean alive = isOurs(c);
      boolean healthy = alive && switch (c.name()) {
        case "kafka" -> KafkaBroker.answers(c.endpoint());
        case "schema-registry" -> Registries.answers(c.endpoint());
        case "clickhouse" -> ClickHouseEndpointProcess.pings(c.endpoint());
        default -> HttpProbe.ok(c.endpoint() + "/healthz");
      };
      return new ComponentStatus(c.name(), c.pid(), alive, healthy, c.endpoint(), alive ? rss(c.pid()) : 0, c.log());
    }).toList());
  }

  /**
   * Stops the stack: asks the launcher to stop (it stops its components cleanly), then makes sure every
   * component process is gone. Returns the names of what was stopped; empty when nothing ran.
   */
  public static List<String> down(Path stackFile, Duration grace) {
    Optional<StackFile> file = StackFile.read(stackFile);
    if (file.isEmpty()) {
      return List.of();
    }
    List<String> stopped = new ArrayList<>();
    List<StackFile.Component> running = file.get().components().stream().filter(StackControl::isOurs).toList();
    ProcessHandle.of(file.get().launcherPid()).filter(ProcessHandle::isAlive).ifPresent(launcher -> {
      launcher.destroy(); // the launcher stops its components cleanly in its shutdown hook
      await(launcher, grace);
    });
    for (StackFile.Component c : running) {
      stopped.add(c.name());
      if (isOurs(c)) {
        ProcessHandle h = ProcessHandle.of(c.pid()).orElseThrow();
        h.destroy();
        if (!await(h, grace)) {
          h.destroyForcibly();
          await(h, Duration.ofSeconds(5));
        }
      }
    }
    try {
      Files.deleteIfExists(stackFile);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return stopped;
  }

  /** Alive and still the process we started (pids get reused). */
  static boolean isOurs(StackFile.Component c) {
    return ProcessHandle.of(c.pid()).filter(ProcessHandle::isAlive)
        .flatMap(h -> h.info().commandLine()).map(cmd -> cmd.contains(c.marker())).orElse(false);
  }

  private static boolean await(ProcessHandle h, Duration timeout) {
    try {
      h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !h.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !h.isAlive();
    }
  }

  /** Resident memory from /proc (Linux); 0 when unknown. */
  static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
