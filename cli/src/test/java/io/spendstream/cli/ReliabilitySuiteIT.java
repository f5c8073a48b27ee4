package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reliability suite as a user runs it ({@code spendstream reliability}, the built jar in its own process): every
 * scenario must pass with exact accounting. The table is kept in target/reliability.md for the record.
 */
class ReliabilitySuiteIT {
  @TempDir Path work;

  @Test
  void everyFaultScenarioKeepsEveryAcknowledgedEventExactlyOnceAndEveryAlert() throws Exception {
    Path table = Path.of("target", "reliability.md").toAbsolutePath();
    Path log = Path.of("target", "reliability.out").toAbsolutePath();
    List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED", "-jar",
        System.getProperty("spendstream.jar"), "reliability", "--work-dir", work.toString(), "--out", table.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(40, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(ended).as("suite finished within 40 min:\n" + output).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    String md = Files.readString(table);
    for (String scenario : List.of("bad-input", "kill-gateway", "kill-processor", "kill-sink", "kill-alerting", "clickhouse-outage",
        "broker-restart", "two-processors", "tenant-id-collision", "hostile-flood", "hostile-edges")) {
      assertThat(md).as(md).containsPattern("\\| " + scenario + " \\|.*\\| 0 \\| 0 \\| \\d+/\\d+ exact \\|.*\\| PASS \\|");
    }
  }
}
