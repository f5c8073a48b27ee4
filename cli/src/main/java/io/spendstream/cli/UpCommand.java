package io.spendstream.cli;

import io.spendstream.tools.demo.DemoSetup;
import io.spendstream.infra.InfraVersions;
import io.spendstream.infra.stack.AdminPassword;
import io.spendstream.infra.stack.LocalStack;
import io.spendstream.infra.stack.StackConfig;
import io.spendstream.ingest.auth.KeysFileEditor;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream up}: the local stack in the foreground until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Starts Kafka, the schema registry and the ClickHouse endpoint on this machine (loopback only),",
        "then the ingest gateway, the stream processor and the ClickHouse sink, with health checks, and keeps them running until Ctrl-C or 'spendstream down'.",
        "A service that exits (a crash, a kill) is restarted and the restart is printed."})
final class UpCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Option(names = "--demo", description = "Also run demo traffic (tenants acme, globex, initech; a compressed day; after the"
      + " warm-up a retry storm, a cost spike and a runaway task) and show a live view until Ctrl-C.")
  boolean demo;

  @Option(names = "--demo-rate", defaultValue = "20", description = "Demo events per second on average (default: ${DEFAULT-VALUE}).")
  double demoRate;

  @Option(names = "--demo-warmup", defaultValue = "PT4M", description = "Normal traffic before the incidents (default: ${DEFAULT-VALUE}).")
  Duration demoWarmup;

  @Option(names = "--demo-day", defaultValue = "PT10M", description = "One day of traffic rhythm lasts this long (default: ${DEFAULT-VALUE}).")
  Duration demoDay;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    StackConfig c = stack.config();
    stack.rememberStateDir(c.stateDir());
    out.printf("spendstream up: starting Kafka %s, Apicurio Registry %s and ClickHouse (chDB %s); state in %s%n",
        InfraVersions.kafka(), InfraVersions.apicurio(), InfraVersions.chdb(), c.stateDir());
    out.flush();
    String demoKey = ensureDemoKey(c.stateDir());
    Map<String, String> tenantKeys = demo ? DemoSetup.tenantKeys(c.stateDir(), c.stateDir().resolve(Repo.KEYS_FILE)) : Map.of();
    if (demo && stack.processorConfig == null) {
      stack.processorConfig = DemoSetup.processorConfig(c.stateDir());
    }
    // the demo's Claude Code sessions last seconds: compare them soon, at the thresholds of on-call query 16
    List<String> moreSinkArgs = demo ? List.of("--cost-check-every", "PT10S", "--cost-check-settle", "PT20S",
        "--cost-check-min-percent", "1", "--cost-check-min-usd", "0.0001") : List.of();
    long t0 = System.nanoTime();
    LocalStack running = LocalStack.start(c, stack.services(c, moreSinkArgs), r -> {
      synchronized (out) {
        out.printf("  %-16s ready in %5.1f s  %-44s %s%n", r.component(), r.took().toMillis() / 1000.0, r.endpoint(), r.detail());
        out.flush();
      }
    });
    running.supervise(message -> { // a service that exits is restarted, and the person watching is told
      synchronized (out) {
        out.println(message);
        out.flush();
      }
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("spendstream up: stopping ...");
      out.flush();
      running.close();
      out.println("spendstream up: stopped.");
      out.flush();
      stopped.countDown();
    }, "spendstream-up-stop"));
    out.printf("%nready in %.1f s.%n%n", (System.nanoTime() - t0) / 1e9);
    AdminPassword admin = running.adminPassword();
    if (admin.created()) { // shown once, like the demo key; it stays in the state dir (mode 600)
      out.printf("ClickHouse admin password (shown once; kept in %s, mode 600): %s%n", admin.file(), admin.password());
    }
    out.printf("Query ClickHouse (admin user 'default', password in %s; read-only on-call user 'oncall', password 'oncall'):%n",
        admin.file());
    out.printf("  curl -u \"default:$(cat %s)\" '%s/?query=SELECT+version()'%n", admin.file(), c.clickhouseUrl());
    out.printf("  curl -u oncall:oncall --data-binary \"SELECT name FROM system.tables WHERE database = '%s'\" %s/%n",
        c.database(), c.clickhouseUrl());
    out.printf("Send events to the gateway (tenant 'demo'; key also in %s):%n", c.stateDir().resolve("demo-api-key"));
    out.printf("  curl -H 'Authorization: Bearer %s' -H 'Content-Type: application/json' --data @event.json"
        + " http://127.0.0.1:%d/v1/events%n", demoKey, stack.gatewayPort);
    out.printf("Dashboard: http://127.0.0.1:%d/   Alerts: ./spendstream alerts tail%n", stack.dashboardPort);
    out.printf("Point tests or services at this stack:%n");
    out.printf("  export SPENDSTREAM_KAFKA_BOOTSTRAP=%s SPENDSTREAM_REGISTRY_URL=%s SPENDSTREAM_CLICKHOUSE_URL=%s%n",
        c.kafkaBootstrap(), c.registryUrl(), c.clickhouseUrl());
    out.printf("Logs: %s/logs. Ctrl-C stops everything (or 'spendstream down' from another terminal).%n", c.stateDir());
    out.flush();
    if (demo) {
      DemoRun.start(out, c, stack, tenantKeys, demoRate, demoWarmup, demoDay, stopped);
    }
    stopped.await();
    return 0;
  }

  /**
   * A local stack needs one tenant to be useful: on first start create tenant 'demo' with a key. The key
   * is kept in the state dir (mode 600) because this is a local development stack; production keys are
   * made with 'gateway keygen' and never stored.
   */
  static String ensureDemoKey(Path stateDir) {
    Path keyFile = stateDir.resolve("demo-api-key");
    try {
      if (Files.isRegularFile(keyFile)) {
        return Files.readString(keyFile).strip();
      }
      Files.createDirectories(stateDir);
      String key = KeysFileEditor.addKey(stateDir.resolve(Repo.KEYS_FILE), "demo");
      Files.writeString(keyFile, key + "\n");
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the demo API key in " + stateDir + ": " + e.getMessage(), e);
    }
  }
}
