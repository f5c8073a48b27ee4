package io.spendstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.tools.demo.ClaudeCodeDemo;
import io.spendstream.tools.demo.DemoHistory;
import io.spendstream.tools.demo.DemoSetup;
import io.spendstream.tools.demo.DemoTraffic;
import io.spendstream.tools.demo.LiveData;
import io.spendstream.tools.demo.LiveView;
import io.spendstream.tools.demo.Loadgen;
import io.spendstream.infra.stack.AdminPassword;
import io.spendstream.infra.stack.StackConfig;
import io.spendstream.sink.SinkConfig;
import io.spendstream.stream.ProcessorSettings;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** The demo part of {@code up --demo}: the traffic generator against the gateway, and the live view every 2 s. */
final class DemoRun {
  private DemoRun() {}

  static void start(PrintWriter out, StackConfig c, StackOptions stack, Map<String, String> keys, double rate, Duration warmup,
      Duration day, CountDownLatch stopped) {
    Map<String, String> trafficKeys = new java.util.LinkedHashMap<>(keys);
    String claudeCodeKey = trafficKeys.remove(ClaudeCodeDemo.TENANT);
    DemoTraffic traffic = new DemoTraffic(List.copyOf(trafficKeys.keySet()), rate, day, warmup, System.nanoTime());
    // the last tenant's past days, so the detectors that compare with a baseline have one (and an incident each)
    String historyTenant = List.copyOf(trafficKeys.keySet()).getLast();
    List<ObjectNode> history = new DemoHistory(System.nanoTime()).calls(historyTenant,
        Instant.now(), DemoSetup.HISTORY_DAYS);
    Loadgen loadgen = new Loadgen(URI.create("http://127.0.0.1:" + stack.gatewayPort), trafficKeys, traffic,
        Duration.ofMillis(200), null).startingWith(history);
    // a team's Claude Code sessions, over OTLP/gRPC as Claude Code sends them
    ClaudeCodeDemo claudeCode = new ClaudeCodeDemo("http://127.0.0.1:" + stack.gatewayGrpcPort, claudeCodeKey,
        Duration.ofMillis(700), System.nanoTime());
    AtomicBoolean stopping = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      loadgen.stop();
      claudeCode.stop();
    }, "demo-stop"));
    Thread.ofPlatform().daemon().name("demo-loadgen").start(loadgen);
    Thread.ofPlatform().daemon().name("demo-claude-code").start(() -> {
      // after the history is in: live calls first would move the partitions' event time to now, and the history's
      // minutes would arrive after their windows closed (priced, but too late for the windows and the baselines)
      try {
        while (loadgen.accepted.sum() < history.size() && !stopping.get()) {
          Thread.sleep(200); // polling interval of the condition above
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      claudeCode.run();
    });
    List<String> tryNext = List.of(
        "curl -s -u oncall:oncall --data-binary @sink/sql/01-top-spend-last-hour.sql '" + c.clickhouseUrl()
            + "/?database=" + c.database() + "&default_format=PrettyCompact'",
        "curl -s -u oncall:oncall --data-binary @sink/sql/15-reported-vs-priced-cost.sql '" + c.clickhouseUrl()
            + "/?database=" + c.database() + "&default_format=PrettyCompact'   (Claude Code's cost against ours, tenant "
            + ClaudeCodeDemo.TENANT + ")",
        "./spendstream alerts tail --from-beginning        (every alert, one line each; --json for machines)",
        "open http://127.0.0.1:" + stack.dashboardPort + "/   (the dashboard: spend per tenant and route, cache hit ratio, alerts)");
    boolean ansi = System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
    Thread.ofPlatform().daemon().name("demo-view").start(() -> {
      try (LiveData data = new LiveData(c.kafkaBootstrap(), c.registryUrl(), c.clickhouseUrl(),
          AdminPassword.readIfPresent(c.stateDir()), c.database())) {
        long t0 = System.nanoTime();
        long lastAccepted = 0;
        long lastAt = t0;
        while (!stopping.get() && stopped.getCount() > 0) {
          Thread.sleep(2_000);
          long now = System.nanoTime();
          long accepted = loadgen.accepted.sum();
          double perSecond = (accepted - lastAccepted) / ((now - lastAt) / 1e9);
          lastAccepted = accepted;
          lastAt = now;
          String screen = LiveView.render(new LiveView.Snapshot((now - t0) / 1_000_000_000L, perSecond, accepted,
              loadgen.retried.sum(), loadgen.lastError(), data.lag(ProcessorSettings.DEFAULT_APPLICATION_ID, "llm.calls.v1"),
              data.lag(SinkConfig.DEFAULT_GROUP, "llm.calls.priced.v1"), data.spendLastMinute(), data.latestAlerts(8), tryNext));
          if (stopping.get()) {
            break;
          }
          synchronized (out) {
            out.print(ansi ? "\033[H\033[2J" + screen : "----\n" + screen);
            out.flush();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
