package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spendstream.tools.bench.CallGenerator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shell example in the README and docs/ runs as a reader runs it: in bash, from a directory laid out like the
 * checkout ({@code ./spendstream}, {@code sink/sql/}, {@code .spendstream/}), against the stack the README's
 * {@code ./spendstream up --demo} starts on the documented ports. A stale example (an old timestamp, a wrong path, a
 * moved endpoint, an option that no longer exists) fails here. The few lines that cannot run in a test are listed in
 * {@link #NOT_RUN} with the reason and the test that covers them.
 *
 * <p>What a reader fills in is filled in: {@code ...} after {@code NAME=} is an API key (one made with the documented
 * {@code gateway keygen}), {@code $KEY} is that key, an optional {@code [part]} is left out, and the input files an
 * example names ({@code calls.jsonl}, {@code cost-report.json}, {@code november.csv}, {@code ~/.claude/projects}) are
 * written here first.
 */
class DocExamplesIT {
  /** Lines not run here: why, and where they are tested. Each must still match a documented line. */
  private static final Map<Pattern, String> NOT_RUN = new LinkedHashMap<>(Map.of(
      Pattern.compile("^\\./spendstream test\\b.*"), "the test suite itself: CI runs it (.ci/run)",
      Pattern.compile("^claude$"), "Claude Code itself: OtlpLogsIT and OtlpMetricsIT send its wire format with the"
          + " OpenTelemetry SDK's exporters",
      Pattern.compile("^\\./spendstream gateway$"), "the stack's gateway holds port 8088; up starts the gateway with this"
          + " command (UpDownIT), and the curl below it runs against that gateway"));
  /** Commands that run until Ctrl-C, and the line that says they are doing their job. */
  private static final Map<Pattern, Predicate<String>> UNTIL_CTRL_C = Map.of(
      Pattern.compile("^\\./spendstream up\\b.*"), l -> l.startsWith("ready in"),
      Pattern.compile("^\\./spendstream alerts tail\\b.*"), l -> l.startsWith("following alerts.v1 on"));
  /** A line that only sets variables for the lines after it: export ..., or NAME=value alone. */
  private static final Pattern ASSIGNMENT = Pattern.compile("^(export\\s.*|[A-Za-z_][A-Za-z0-9_]*=(\"[^\"]*\"|\\S+))$");
  /** Exit codes that mean "ran and reported" for commands whose findings are an exit code (documented). */
  private static final Map<Pattern, Set<Integer>> EXIT_CODES = Map.of(
      Pattern.compile("^\\./spendstream reconcile\\b.*"), Set.of(0, ReconcileCommand.FINDINGS));

  @TempDir Path work;
  @TempDir Path home;
  private Process up;
  private String key;

  @AfterEach
  void stopTheStack() throws Exception {
    if (up != null && up.isAlive()) {
      up.destroy(); // SIGTERM, as Ctrl-C: up stops every component
      assertThat(up.waitFor(120, TimeUnit.SECONDS)).isTrue();
    }
    Outcome down = run("./spendstream down", Duration.ofSeconds(120));
    assertThat(down.code()).as(down.output()).isZero();
  }

  @Test
  void everyShellExampleInTheDocsRuns() throws Exception {
    List<DocExamples.Line> examples = new ArrayList<>();
    for (Path doc : DocExamples.docs()) {
      DocExamples.codeLines(doc).stream().filter(DocExamples.Line::shell).forEach(examples::add);
    }
    DocExamples.Line start = examples.stream().filter(e -> e.text().equals("./spendstream up --demo")).findFirst()
        .orElseThrow(() -> new AssertionError("the README shows no ./spendstream up --demo"));
    // the day the reconcile examples name (an example's date, kept in the docs): the invoices below are for it
    String invoiceDay = examples.stream().map(e -> java.util.regex.Pattern.compile("--date (\\d{4}-\\d{2}-\\d{2})")
        .matcher(e.text())).filter(java.util.regex.Matcher::find).map(m -> m.group(1)).findFirst()
        .orElseThrow(() -> new AssertionError("no reconcile --date example in the docs"));
    layOutTheWorkDirectory(java.time.LocalDate.parse(invoiceDay));

    List<String> failures = new ArrayList<>();
    up = startUntilReady(start, failures);
    assertThat(failures).as("the README's first command").isEmpty();
    key = run("./spendstream gateway keygen --tenant docs", Duration.ofSeconds(60)).output().lines()
        .filter(l -> !l.isBlank() && !l.contains(" ")).findFirst().orElseThrow().strip();
    // the running gateway reads the keys file every few seconds: wait until it knows the key
    await().atMost(Duration.ofSeconds(60)).until(() -> gatewayStatus(key) != 401);

    List<String> ran = new ArrayList<>();
    Set<Pattern> skippedSeen = new java.util.HashSet<>();
    List<String> setup = new ArrayList<>(); // assignments earlier in the same block, as in the reader's shell
    DocExamples.Line previous = null;
    for (DocExamples.Line e : examples) {
      if (previous == null || previous.block() != e.block() || !previous.doc().equals(e.doc())) {
        setup.clear();
      }
      previous = e;
      if (e == start) {
        continue;
      }
      Pattern skip = NOT_RUN.keySet().stream().filter(p -> p.matcher(e.text()).matches()).findFirst().orElse(null);
      if (skip != null) {
        skippedSeen.add(skip);
        continue;
      }
      ran.add(e.text());
      Pattern longRunning = UNTIL_CTRL_C.keySet().stream().filter(p -> p.matcher(e.text()).matches()).findFirst().orElse(null);
      if (longRunning != null) {
        Process p = startUntil(e, UNTIL_CTRL_C.get(longRunning), failures);
        System.out.printf("doc example %s: running until Ctrl-C%n", e);
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
        continue;
      }
      String prefix = setup.isEmpty() ? "" : String.join("\n", setup) + "\n";
      if (ASSIGNMENT.matcher(e.text()).matches()) {
        setup.add(e.text());
      }
      Outcome o = run(prefix + filledIn(e.text()), Duration.ofMinutes(3));
      Set<Integer> ok = EXIT_CODES.entrySet().stream().filter(x -> x.getKey().matcher(e.text()).matches())
          .map(Map.Entry::getValue).findFirst().orElse(Set.of(0));
      System.out.printf("doc example %s: exit %d%n", e, o.code());
      if (!ok.contains(o.code())) {
        failures.add(e + " exited " + o.code() + ":\n" + tail(o.output()));
      } else if (e.expected() != null && !o.output().strip().equals(e.expected())) {
        failures.add(e + " printed\n" + o.output().strip() + "\nwhere the doc shows\n" + e.expected());
      }
    }
    assertThat(failures).as("documented examples that fail as written").isEmpty();
    assertThat(skippedSeen).as("NOT_RUN entries that no documented line matches any more").containsAll(NOT_RUN.keySet());
    assertThat(ran).as("examples run").hasSizeGreaterThanOrEqualTo(20).anyMatch(c -> c.startsWith("curl"))
        .anyMatch(c -> c.contains("./spendstream import claude-code")).anyMatch(c -> c.startsWith("./spendstream sql"));
  }

  /** The reader's placeholders filled in; optional [parts] left out. */
  private static String filledIn(String line) {
    return line.replaceAll("(\\b[A-Z_]+)=\\.\\.\\.(\\s)", "$1=\"\\$KEY\"$2").replaceAll("\\s\\[[^\\]]*\\]", "");
  }

  /**
   * The checkout as the examples expect it: ./spendstream (the built jar, with this directory as SPENDSTREAM_HOME, so
   * the stack's state is .spendstream/ here), sink/ (the on-call SQL files), and the input files the examples name.
   */
  private void layOutTheWorkDirectory(java.time.LocalDate invoiceDay) throws IOException {
    Path script = work.resolve("spendstream");
    Files.writeString(script, """
        #!/usr/bin/env bash
        export SPENDSTREAM_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
        exec '%s' --enable-native-access=ALL-UNNAMED '-Dspendstream.cache.dir=%s' -jar '%s' "$@"
        """.formatted(ProcessHandle.current().info().command().orElse("java"), io.spendstream.infra.CacheDir.resolve(),
        Path.of(System.getProperty("spendstream.jar")).toAbsolutePath()));
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(work.resolve("sink"), DocExamples.REPO.resolve("sink").toAbsolutePath().normalize());

    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    CallGenerator g = new CallGenerator(7);
    List<String> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(g.next(g.tenant(i), now.minus(Duration.ofHours(1)).plusSeconds(i)).toString());
    }
    Files.write(work.resolve("calls.jsonl"), calls);
    // invoices for the days the examples name (the dates are the doc's; an invoice is checked against its own day)
    Files.writeString(work.resolve("november.csv"), """
        date,model,token_type,cost_usd
        %s,claude-sonnet-4-6-20260315,output,41.250000
        """.formatted(invoiceDay));
    Files.writeString(work.resolve("cost-report.json"), """
        {"data":[{"starting_at":"%sT00:00:00Z","ending_at":"%sT00:00:00Z","results":[
          {"amount":"123.45","currency":"USD","model":"claude-sonnet-4-6","token_type":"output_tokens","cost_type":"tokens"}]}],
         "has_more":false}
        """.formatted(invoiceDay, invoiceDay.plusDays(1)));
    Path project = home.resolve(".claude/projects/-home-dev-app");
    Files.createDirectories(project);
    Files.writeString(project.resolve("s-docs.jsonl"), "{\"type\":\"assistant\",\"sessionId\":\"s-docs\",\"version\":\"2.1.3\","
        + "\"uuid\":\"u1\",\"timestamp\":\"" + now.minusSeconds(60) + "\",\"requestId\":\"req_docs1\",\"message\":{\"id\":"
        + "\"msg_docs1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],"
        + "\"usage\":{\"input_tokens\":12,\"cache_read_input_tokens\":2000,\"output_tokens\":40}}}\n");
    // curl as the examples run it, but failing on an HTTP error (the docs' curl lines would print it and exit 0)
    Files.writeString(home.resolve(".curlrc"), "--fail-with-body\n--silent\n--show-error\n--max-time 60\n");
  }

  private Process startUntilReady(DocExamples.Line e, List<String> failures) throws Exception {
    return startUntil(e, UNTIL_CTRL_C.entrySet().stream().filter(x -> x.getKey().matcher(e.text()).matches()).findFirst()
        .orElseThrow().getValue(), failures);
  }

  /** Starts a command that runs until Ctrl-C and waits for the line that says it works (or for it to fail). */
  private Process startUntil(DocExamples.Line e, Predicate<String> working, List<String> failures) throws Exception {
    Process p = bash(filledIn(e.text())).start();
    OutputLines.Seen seen = new OutputLines(p).until(working, Duration.ofSeconds(240));
    if (!seen.found()) {
      failures.add(e + (p.isAlive() ? " never said it was working" : " exited " + p.exitValue()) + ":\n"
          + tail(String.join("\n", seen.lines())));
    }
    return p;
  }

  private record Outcome(int code, String output) {}

  private Outcome run(String line, Duration timeout) throws Exception {
    Process p = bash(line).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Outcome(-1, "timed out after " + timeout + "\n" + new String(out, StandardCharsets.UTF_8));
    }
    return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  private ProcessBuilder bash(String line) {
    ProcessBuilder b = new ProcessBuilder("bash", "-c", line).directory(work.toFile()).redirectErrorStream(true);
    b.environment().put("HOME", home.toString());
    b.environment().remove("SPENDSTREAM_HOME");
    if (key != null) {
      b.environment().put("KEY", key);
      b.environment().put("SPENDSTREAM_KEY", key);
    }
    return b;
  }

  private static int gatewayStatus(String key) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8088/v1/events"))
          .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("[]")).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  private static String tail(String output) {
    List<String> l = output.lines().toList();
    return String.join("\n", l.subList(Math.max(0, l.size() - 30), l.size()));
  }
}
