package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.tools.bench.CallGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
  @TempDir Path dir;
  private final CliRun cli = new CliRun();
  private final java.io.StringWriter out = cli.out;
  private final java.io.StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  /** Generated traffic with a retry storm in it (the same prompt, 8 times in 8 s). */
  private Path generated(boolean withBadLine) throws Exception {
    CallGenerator g = new CallGenerator(3);
    List<String> lines = new ArrayList<>();
    Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
    for (int i = 0; i < 3000; i++) {
      lines.add(g.next(g.tenant(i), t0.plusMillis(i * 500L)).toString());
      if (i == 1500) {
        for (int k = 0; k < 8; k++) {
          lines.add(g.next("acme", t0.plusMillis(i * 500L + k * 1000L)).put("prompt_hash", "00000000deadbeef").toString());
        }
      }
      if (withBadLine && i == 10) {
        lines.add("{\"event_id\": 42}");
      }
    }
    Path f = dir.resolve("calls.jsonl");
    Files.write(f, lines);
    return f;
  }

  @Test
  void replaysAGeneratedFileAndExitsZero() throws Exception {
    int rc = run("replay", "--events", generated(false).toString(), "--out", dir.resolve("out").toString());
    assertThat(rc).as(err.toString()).isZero();
    assertThat(out.toString()).contains("3,008 events read, 0 bad lines skipped", "RETRY_STORM 1");
    assertThat(Files.readAllLines(dir.resolve("out/priced.jsonl"))).hasSize(3008);
    assertThat(Files.readAllLines(dir.resolve("out/alerts.jsonl"))).anySatisfy(l -> assertThat(l).contains("00000000deadbeef"));
    assertThat(Files.readAllLines(dir.resolve("out/windows.jsonl"))).isNotEmpty();
  }

  @Test
  void badLinesAreReportedWithTheirNumberAndTheExitCodeSaysSo() throws Exception {
    int rc = run("replay", "--events", generated(true).toString(), "--out", dir.resolve("out").toString());
    assertThat(rc).isEqualTo(ReplayCommand.SKIPPED_LINES);
    assertThat(out.toString()).contains("1 bad lines skipped").containsPattern("line 12: event_id: .*");
  }

  @Test
  void missingFileIsAUsageError() {
    assertThat(run("replay", "--events", dir.resolve("nope.jsonl").toString(), "--out", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--events: no such file");
  }

  @Test
  void processorValidatesItsConfigAndReportsEveryProblem() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "retry_storm: {threshold_calls: 0}\nanomaly: {z_threshold: -1}\n");
    assertThat(run("processor", "--config", bad.toString(), "--validate-config")).isEqualTo(2);
    assertThat(err.toString()).contains("retry_storm.threshold_calls", "anomaly.z_threshold");
    Path example = Path.of(System.getProperty("user.dir")).getParent().resolve("stream-processor/stream-processor.example.yaml");
    assertThat(run("processor", "--config", example.toString(), "--validate-config")).isZero();
  }
}
