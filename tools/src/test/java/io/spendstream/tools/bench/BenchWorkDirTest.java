package io.spendstream.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BenchWorkDirTest {
  @Test
  void closingRemovesTheDirectoryWithEverythingInIt() throws Exception {
    Path p;
    try (BenchWorkDir dir = BenchWorkDir.create()) {
      p = dir.path();
      Files.createDirectories(p.resolve("kafka/logs/llm.calls.v1-0"));
      Files.writeString(p.resolve("kafka/logs/llm.calls.v1-0/00000.log"), "x");
      Files.writeString(p.resolve("clickhouse.log"), "y");
      assertThat(p).isDirectory();
    }
    assertThat(p).doesNotExist();
  }
}
