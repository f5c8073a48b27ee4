package io.spendstream.infra.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process that dies before it is ready: the failure carries the log's cause, not only the log's path. */
class JavaProcessTest {
  @TempDir Path dir;

  @Test
  void theLastErrorLinesOfTheLogOrItsLastLines() throws Exception {
    Path log = Files.write(dir.resolve("kafka.log"), List.of("starting", "ERROR Exiting Kafka due to fatal exception",
        "java.lang.RuntimeException: Address already in use", "shutting down"));
    assertThat(JavaProcess.lastErrors(log)).isEqualTo("\n  | ERROR Exiting Kafka due to fatal exception"
        + "\n  | java.lang.RuntimeException: Address already in use");
    Path quiet = Files.write(dir.resolve("quiet.log"), List.of("a", "b", "c", "d"));
    assertThat(JavaProcess.lastErrors(quiet)).isEqualTo("\n  | b\n  | c\n  | d");
    assertThat(JavaProcess.lastErrors(dir.resolve("missing.log"))).isEmpty();
  }
}
