package io.spendstream.infra.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackConfigTest {
  @TempDir Path dir;

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> new StackConfig(dir, 9092, 9092, 0, 8091, 8123, "bad-name", List.of()))
        .hasMessageContaining("port 9092 is configured twice")
        .hasMessageContaining("port 0 is not in 1..65535")
        .hasMessageContaining("database must be an identifier");
  }

  @Test
  void stackFileRoundTrips() {
    StackFile f = new StackFile(42, List.of(new StackFile.Component("kafka", 7, "127.0.0.1:9092", dir.resolve("k.log"),
        "kafka.Kafka")));
    Path file = dir.resolve("stack.properties");
    f.write(file);
    assertThat(StackFile.read(file)).contains(f);
    assertThat(StackFile.read(dir.resolve("none"))).isEmpty();
  }

  @Test
  void aDeadOrForeignPidIsNotOurs() {
    long self = ProcessHandle.current().pid();
    assertThat(StackControl.isOurs(new StackFile.Component("x", self, "", dir, "no-such-marker-" + self))).isFalse();
    assertThat(StackControl.isOurs(new StackFile.Component("x", Long.MAX_VALUE - 1, "", dir, "java"))).isFalse();
  }
}
