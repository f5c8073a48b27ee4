package io.spendstream.infra.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What a running {@code spendstream up} started, so {@code status} and {@code down} (other processes)
 * can find it: the launcher's pid and each component's pid, endpoint and log.
 */
public record StackFile(long launcherPid, List<Component> components) {

  /** One running component. {@code marker} is a string its command line must contain (pid reuse guard). */
  public record Component(String name, long pid, String endpoint, Path log, String marker) {}

  public void write(Path file) {
    Properties p = new Properties();
    p.setProperty("launcher.pid", String.valueOf(launcherPid));
    p.setProperty("components", String.valueOf(components.size()));
    for (int i = 0; i < components.size(); i++) {
      Component c = components.get(i);
      p.setProperty(i + ".name", c.name());
      p.setProperty(i + ".pid", String.valueOf(c.pid()));
      p.setProperty(i + ".endpoint", c.endpoint());
      p.setProperty(i + ".log", c.log().toString());
      p.setProperty(i + ".marker", c.marker());
    }
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (var out = Files.newBufferedWriter(tmp)) {
        p.store(out, "spendstream local stack; written by 'spendstream up', read by 'status' and 'down'");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Optional<StackFile> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Component> cs = new ArrayList<>();
    int n = Integer.parseInt(p.getProperty("components", "0"));
    for (int i = 0; i < n; i++) {
      cs.add(new Component(p.getProperty(i + ".name"), Long.parseLong(p.getProperty(i + ".pid")),
          p.getProperty(i + ".endpoint"), Path.of(p.getProperty(i + ".log")), p.getProperty(i + ".marker")));
    }
    return Optional.of(new StackFile(Long.parseLong(p.getProperty("launcher.pid", "-1")), List.copyOf(cs)));
  }
}
