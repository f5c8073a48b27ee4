package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.tools.demo.ClaudeCodeDemo;
import io.spendstream.infra.process.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spendstream up}, {@code status} and {@code down} as a user runs them: the built jar in child
 * processes, on free ports, checking that every started process is gone afterwards.
 */
class UpDownIT {
  @TempDir Path stateDir;
  @TempDir Path home;
  private final List<String> portArgs = new ArrayList<>();
  private int clickhousePort;
  private int gatewayPort;
  private int kafkaPort;
  private int registryPort;
  private int dashboardPort;
  private Process up;
  private final List<String> upArgs = new ArrayList<>();

  @BeforeEach
  void ports() {
    clickhousePort = Ports.ephemeral();
    gatewayPort = Ports.ephemeral();
    kafkaPort = Ports.ephemeral();
    registryPort = Ports.ephemeral();
    dashboardPort = Ports.ephemeral();
    portArgs.addAll(List.of("--state-dir", stateDir.toString(), "--kafka-port", String.valueOf(kafkaPort),
        "--kafka-controller-port", String.valueOf(Ports.ephemeral()), "--registry-port", String.valueOf(registryPort),
        "--registry-management-port", String.valueOf(Ports.ephemeral()), "--clickhouse-port", String.valueOf(clickhousePort),
        "--gateway-port", String.valueOf(gatewayPort), "--gateway-ops-port", String.valueOf(Ports.ephemeral()),
        "--gateway-grpc-port", String.valueOf(Ports.ephemeral()),
        "--processor-port", String.valueOf(Ports.ephemeral()),
        "--sink-port", String.valueOf(Ports.ephemeral()), "--alerting-port", String.valueOf(Ports.ephemeral()),
        "--dashboard-port", String.valueOf(dashboardPort)));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (up != null && up.isAlive()) {
      up.destroy(); // as Ctrl-C: up stops what it started (SIGKILL would leave its children running)
      if (!up.waitFor(90, TimeUnit.SECONDS)) {
        up.destroyForcibly();
      }
    }
    Result down = run("down");
    assertThat(down.code()).as(down.output()).isZero();
    assertThat(javaChildrenMentioning(stateDir.toString())).as("a process of this test's stack outlived down").isEmpty();
  }

  @Test
  void upReachesReadyStatusSeesItAndDownLeavesNoProcess() throws Exception {
    List<String> output = startUp();
    assertThat(output).anyMatch(l -> l.contains("kafka") && l.contains("ready in"))
        .anyMatch(l -> l.contains("schema-registry") && l.contains("ready in"))
        .anyMatch(l -> l.contains("clickhouse") && l.contains("ready in"))
        .anyMatch(l -> l.contains("gateway") && l.contains("ready in"))
        .anyMatch(l -> l.contains("stream-processor") && l.contains("ready in"))
        .anyMatch(l -> l.contains("sink") && l.contains("ready in"))
        .anyMatch(l -> l.contains("alerting") && l.contains("ready in"))
        .anyMatch(l -> l.contains("dashboard") && l.contains("ready in"));
    List<Long> pids = componentPids();
    assertThat(pids).hasSize(8).allMatch(UpDownIT::alive);

    Result status = run("status");
    assertThat(status.code()).as(status.output()).isZero();
    assertThat(status.output()).contains("kafka").contains("schema-registry").contains("clickhouse").contains("gateway")
        .contains("stream-processor").contains("sink").contains("alerting").contains("dashboard").doesNotContain("unhealthy");
    assertThat(ping()).isEqualTo("Ok.\n");
    // the admin password was generated, kept mode 600 and printed once; without it ClickHouse answers 401
    Path adminPasswordFile = stateDir.resolve("clickhouse-admin-password");
    String adminPassword = Files.readString(adminPasswordFile).strip();
    assertThat(java.nio.file.Files.getPosixFilePermissions(adminPasswordFile)).containsExactlyInAnyOrder(
        java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(linesUntil(l -> l.startsWith("Query ClickHouse"))).as("after 'ready'")
        .anyMatch(l -> l.startsWith("ClickHouse admin password (shown once") && l.endsWith(adminPassword));
    assertThat(clickhouseStatus("default:")).isEqualTo(401);
    assertThat(clickhouseStatus("default:" + adminPassword)).isEqualTo(200);
    // the demo tenant's key works against the gateway that up started
    String key = Files.readString(stateDir.resolve("demo-api-key")).strip();
    assertThat(postEvent(key)).isEqualTo(202);

    // a service that dies is restarted by up, which says so; the stack file follows the new pid
    long sinkPid = componentPid("sink");
    ProcessHandle.of(sinkPid).orElseThrow().destroyForcibly();
    awaitLine(l -> l.contains("sink exited") && l.contains("restarting it"));
    awaitLine(l -> l.contains("sink is running again"));
    long restarted = componentPid("sink");
    assertThat(restarted).isNotEqualTo(sinkPid).matches(UpDownIT::alive);
    assertThat(run("status").output()).contains("sink").doesNotContain("unhealthy");
    pids = componentPids();

    // status and down without --state-dir find the stack up started with one (up recorded where)
    Result plainStatus = runWithoutOptions("status");
    assertThat(plainStatus.output()).as(plainStatus.output()).contains("sink").contains(stateDir.toString());
    Result down = runWithoutOptions("down");
    assertThat(down.code()).isZero();
    assertThat(down.output()).contains("stopped: kafka, schema-registry, clickhouse, gateway, stream-processor, sink, alerting, dashboard");
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(pids).noneMatch(UpDownIT::alive);
    assertThat(run("status").code()).isEqualTo(StatusCommand.NOTHING_RUNS);
  }

  @Test
  void stoppingUpLikeCtrlCStopsEverythingAndARestartKeepsState() throws Exception {
    startUp();
    List<Long> first = componentPids();
    up.destroy(); // SIGTERM, handled like Ctrl-C (SIGINT): the shutdown hook stops every component
    assertThat(up.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(first).noneMatch(UpDownIT::alive);
    assertThat(Files.exists(stateDir.resolve("stack.properties"))).isFalse();

    List<String> again = startUp(); // same state dir: Kafka storage is already formatted, topics exist
    assertThat(again).anyMatch(l -> l.contains("topics: 9 (0 created)"));
    assertThat(linesUntil(l -> l.startsWith("Query ClickHouse"))).as("the admin password is printed only when it is made")
        .noneMatch(l -> l.contains("shown once"));
  }

  @Test
  void aTakenPortIsAClearErrorAndNothingIsLeftRunning() throws Exception {
    try (ServerSocket taken = new ServerSocket(clickhousePort, 1, InetAddress.getLoopbackAddress())) {
      Result r = run("up");
      assertThat(r.code()).isNotZero();
      assertThat(r.output()).contains("ClickHouse endpoint cannot listen on 127.0.0.1:" + clickhousePort)
          .contains("already in use");
    }
    assertThat(javaChildrenMentioning(stateDir.toString())).isEmpty();
  }

  @Test
  void upDemoShowsTrafficSpendAndTheInjectedIncidentsLive() throws Exception {
    upArgs.addAll(List.of("--demo", "--demo-warmup", "PT20S", "--demo-rate", "10")); // up only: down refuses them
    startUp();
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
    boolean storm = false;
    boolean spend = false;
    boolean traffic = false;
    // the catalogue's incidents the demo injects, and those of the history it sends first
    java.util.Set<String> types = new java.util.TreeSet<>(List.of("NO_SUCCESS", "ERROR_RATE", "LATENCY_P95",
        "TRUNCATION_RATE", "RATE_LIMITED", "BUDGET", "RUNAWAY_TASK", "CACHE_RATIO_REGRESSION", "PROMPT_GROWTH",
        "MODEL_MIX_SHIFT", "SPEND_VS_BASELINE"));
    while (System.nanoTime() < deadline && !(storm && spend && traffic)) {
      String l = lines.poll(Duration.ofSeconds(1));
      if (l == null) {
        assertThat(up.isAlive()).as(String.join("\n", seen)).isTrue();
        continue;
      }
      seen.add(l);
      storm |= l.contains("RETRY_STORM") && l.contains("acme");
      spend |= l.matches("\\s+(acme|globex|initech)\\s+\\$[0-9.]+\\s+#+");
      traffic |= l.matches(".*events in [1-9][0-9.]*/s.*");
      types.removeIf(l::contains);
    }
    assertThat(storm).as("a RETRY_STORM line in the live view:\n" + tail(seen)).isTrue();
    assertThat(spend).as("spend per tenant from ClickHouse:\n" + tail(seen)).isTrue();
    assertThat(traffic).as("events per second:\n" + tail(seen)).isTrue();
    assertThat(seen).anyMatch(l -> l.contains("./spendstream alerts tail"));
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
        System.getProperty("spendstream.jar"), "alerts", "tail", "--from-beginning", "--max", "1", "--type", "RETRY_STORM",
        "--kafka", "127.0.0.1:" + kafkaPort, "--registry", "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7"));
    Process tail = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String printed = new String(tail.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tail.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(printed).contains("RETRY_STORM").contains("acme");

    // every type on alerts.v1 (the live view shows only the latest few, so a burst may scroll some past it)
    List<String> all = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
        System.getProperty("spendstream.jar"), "alerts", "tail", "--from-beginning", "--json",
        "--kafka", "127.0.0.1:" + kafkaPort, "--registry", "http://127.0.0.1:" + registryPort + "/apis/ccompat/v7"));
    Process alerts = new ProcessBuilder(all).redirectErrorStream(true).start();
    try {
      OutputLines out = new OutputLines(alerts);
      while (System.nanoTime() < deadline && !types.isEmpty()) {
        String l = out.poll(Duration.ofSeconds(1));
        if (l != null) {
          types.removeIf(t -> l.contains("\"type\":\"" + t.toLowerCase(java.util.Locale.ROOT) + "\"")); // JSON form
        }
      }
    } finally {
      alerts.destroy();
    }
    assertThat(types).as("alert types the demo injects that never reached alerts.v1").isEmpty();

    // the dashboard draws the demo's budgets (the processor config up gave it) and the alerts ClickHouse holds by type
    String dashboard = "";
    try (HttpClient http = HttpClient.newHttpClient()) {
      while (System.nanoTime() < deadline && !(dashboard.contains("\"daily_budget_nanos\":10000000000")
          && dashboard.contains("\"BUDGET\":"))) {
        dashboard = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboardPort
            + "/api/dashboard?minutes=1440")).build(), HttpResponse.BodyHandlers.ofString()).body();
        if (!dashboard.contains("\"BUDGET\":")) {
          Thread.sleep(1_000); // polling interval: the sink writes alerts to ClickHouse in batches
        }
      }
    }
    assertThat(dashboard).as("acme's daily budget (USD 10 in the demo config) and BUDGET alerts on the dashboard")
        .contains("\"tenant\":\"acme\",\"daily_spent_nanos\"").contains("\"daily_budget_nanos\":10000000000")
        .contains("\"BUDGET\":");

    // the demo's Claude Code team (OTLP logs over gRPC): priced by our catalog to the nano, Claude Code's cost kept apart
    String priced = "";
    while (System.nanoTime() < deadline && priced.isEmpty()) {
      priced = clickhouse("SELECT model, count(), sum(input_tokens), sum(output_tokens), sum(cache_read_input_tokens),"
          + " sum(cache_creation_input_tokens), sum(cost_nanos), countIf(reported_cost_nanos IS NOT NULL) FROM llm_calls"
          + " WHERE tenant_id = '" + ClaudeCodeDemo.TENANT + "' AND status_code = 200 GROUP BY model ORDER BY model").strip();
      if (priced.isEmpty()) {
        Thread.sleep(1_000); // polling interval: the sink inserts in batches
      }
    }
    assertThat(priced).as("Claude Code calls of tenant " + ClaudeCodeDemo.TENANT + " in ClickHouse").isNotEmpty();
    io.spendstream.pricing.Pricer pricer = new io.spendstream.pricing.Pricer(io.spendstream.pricing.PriceCatalogLoader.defaults());
    for (String row : priced.split("\n")) {
      String[] f = row.split("\t");
      // list prices are whole nano-USD per token, so the sum of the calls' costs is the price of the summed tokens
      long expected = pricer.price("anthropic", f[0], java.time.Instant.now(), new io.spendstream.pricing.TokenUsage(
          Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), 0,
          io.spendstream.schemas.avro.ServiceTier.STANDARD)).totalNanos();
      assertThat(Long.parseLong(f[6])).as(row).isEqualTo(expected);
      assertThat(f[7]).as("every successful call carries Claude Code's own cost: " + row).isEqualTo(f[1]);
    }

    // its metrics (delta sums over gRPC) beside the calls: the same tokens per session, a lower cost where Haiku was
    // used (Claude Code's older Haiku price), found by the on-call query
    String query = Files.readString(Path.of("../sink/sql/16-metric-vs-priced-by-session.sql"));
    String agreeingTokensLowerCost = "";
    String differences = "";
    while (System.nanoTime() < deadline && agreeingTokensLowerCost.isEmpty()) {
      differences = clickhouse(query).strip();
      agreeingTokensLowerCost = differences.lines().map(l -> l.split("\t"))
          .filter(f -> f[0].equals(ClaudeCodeDemo.TENANT) && Long.parseLong(f[5]) < 0
              && f[7].equals("0") && f[8].equals("0") && f[9].equals("0") && f[10].equals("0"))
          .map(f -> String.join(" ", f)).findFirst().orElse("");
      if (agreeingTokensLowerCost.isEmpty()) {
        Thread.sleep(1_000); // polling interval: metrics are exported every 5 s, the sink inserts in batches
      }
    }
    assertThat(agreeingTokensLowerCost).as("a devtools session whose metrics agree on tokens and report a lower cost:\n"
        + differences).isNotEmpty();
    // and the sink's check raises it once the session is quiet (the demo checks every 10 s, after 20 s of quiet)
    String mismatches = "0";
    long alertDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < alertDeadline && mismatches.equals("0")) {
      mismatches = clickhouse("SELECT count() FROM alerts WHERE type = 'REPORTED_COST_MISMATCH' AND tenant_id = '"
          + ClaudeCodeDemo.TENANT + "'").strip();
      if (mismatches.equals("0")) {
        Thread.sleep(1_000); // polling interval: the check runs every 10 s, the sink inserts alerts in batches
      }
    }
    assertThat(mismatches).as("REPORTED_COST_MISMATCH alerts of " + ClaudeCodeDemo.TENANT).isNotEqualTo("0");
  }

  /** A query's rows as TSV, as the read-only on-call user. */
  private String clickhouse(String sql) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clickhousePort + "/?database=spendstream"))
          .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("oncall:oncall".getBytes(
              StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.ofString(sql)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  private static String tail(List<String> lines) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private OutputLines lines;

  private List<String> startUp() throws Exception {
    up = command("up").redirectErrorStream(true).start();
    lines = new OutputLines(up);
    OutputLines.Seen seen = lines.until(l -> l.startsWith("ready in"), Duration.ofSeconds(180));
    if (!seen.found()) {
      throw new AssertionError("spendstream up did not get ready:\n" + String.join("\n", seen.lines()));
    }
    return seen.lines();
  }

  private long componentPid(String name) throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(stateDir.resolve("stack.properties"))) {
      p.load(in);
    }
    for (int i = 0; i < Integer.parseInt(p.getProperty("components")); i++) {
      if (name.equals(p.getProperty(i + ".name"))) {
        return Long.parseLong(p.getProperty(i + ".pid"));
      }
    }
    throw new AssertionError("no component " + name + " in stack.properties");
  }

  /** Waits for a line of up's output (after the ones startUp read). */
  private String awaitLine(java.util.function.Predicate<String> wanted) throws InterruptedException {
    return linesUntil(wanted).getLast();
  }

  /** up's next lines, up to and including the first one {@code wanted} matches. */
  private List<String> linesUntil(java.util.function.Predicate<String> wanted) throws InterruptedException {
    OutputLines.Seen seen = lines.until(wanted, Duration.ofSeconds(120));
    if (!seen.found()) {
      throw new AssertionError("up never printed the expected line; it printed:\n" + String.join("\n", seen.lines()));
    }
    return seen.lines();
  }

  private List<Long> componentPids() throws IOException {
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(stateDir.resolve("stack.properties"))) {
      p.load(in);
    }
    List<Long> pids = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(p.getProperty("components")); i++) {
      pids.add(Long.parseLong(p.getProperty(i + ".pid")));
    }
    return pids;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static List<ProcessHandle> javaChildrenMentioning(String text) {
    return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains(text)).orElse(false)).toList();
  }

  private int clickhouseStatus(String credentials) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clickhousePort + "/?query=SELECT+1"))
          .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
          .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  private String ping() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clickhousePort + "/ping")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  private int postEvent(String key) throws Exception {
    String event = "{\"event_id\":\"up-1\",\"timestamp\":\"" + java.time.Instant.now() + "\",\"model\":\"claude-haiku-4-5\","
        + "\"route\":\"/r\",\"latency_ms\":5,\"status_code\":200,\"input_tokens\":1,\"output_tokens\":1}";
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v1/events"))
          .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
  }

  private record Result(int code, String output) {}

  private Result run(String command) throws Exception {
    return result(command(command));
  }

  private static Result result(ProcessBuilder command) throws Exception {
    Process p = command.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  /** The command as a user would type it with no option: the stack is found from the default state dir. */
  private Result runWithoutOptions(String command) throws Exception {
    return result(command(command, false));
  }

  private ProcessBuilder command(String command) {
    return command(command, true);
  }

  private ProcessBuilder command(String command, boolean withOptions) {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED", "-Dspendstream.cache.dir=" + io.spendstream.infra.CacheDir.resolve(),
        "-jar", System.getProperty("spendstream.jar"), command));
    if (withOptions) {
      cmd.addAll(portArgs);
    }
    if (withOptions && command.equals("up")) {
      cmd.addAll(upArgs);
    }
    ProcessBuilder b = new ProcessBuilder(cmd);
    // the repository up records its state dir in: this test's own, not the checkout's .spendstream
    b.environment().put("SPENDSTREAM_HOME", home.toString());
    return b;
  }
}
