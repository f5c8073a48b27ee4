package io.spendstream.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's scratch directory (broker logs, state stores, ClickHouse data: ~100 MB a run), removed when the
 * benchmark ends so that repeated runs do not fill the disk.
 */
public final class BenchWorkDir implements AutoCloseable {
  private final Path path;

  private BenchWorkDir(Path path) {
    this.path = path;
  }

  public static BenchWorkDir create() {
    try {
      return new BenchWorkDir(Files.createTempDirectory("spendstream-bench"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a benchmark work directory: " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  /** Deletes the directory and everything in it; what cannot be deleted is left (best effort, never fails the run). */
  @Override
  public void close() {
    try (Stream<Path> all = Files.walk(path)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a scratch directory that could not be removed is not worth failing a benchmark over
    }
  }
}
