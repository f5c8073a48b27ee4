package io.spendstream.cli;

import io.spendstream.alerting.Alerting;
import io.spendstream.alerting.AlertingSettings;
import io.spendstream.alerting.config.AlertingConfig;
import io.spendstream.alerting.config.AlertingConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream alerting}: the alert delivery service in the foreground. */
@Command(name = "alerting", mixinStandardHelpOptions = true,
    description = {"Delivers alerts from alerts.v1 to webhooks (HMAC-signed), Slack and PagerDuty by the routing rules of",
        "--config, with per-destination cooldown, rate limit and bounded retries; alerts that still fail are parked on",
        "alerts.dlq.v1. Offsets are committed only after delivery or parking, so a crash loses nothing."},
    footer = {"", "Health: GET /healthz, /readyz, /metrics (Prometheus) on --port."})
final class AlertingCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  ConnectOptions connect;

  @Option(names = "--config", description = "Destinations and routes (YAML; see alerting/alerting.example.yaml). "
      + "Default: every alert to the log only.")
  Path config;

  @Option(names = "--group", defaultValue = AlertingSettings.DEFAULT_GROUP, description = "Consumer group (default: ${DEFAULT-VALUE}).")
  String group;

  @Option(names = "--port", defaultValue = "8092", description = "Health and metrics HTTP port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address of the health/metrics server (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--validate-config", description = "Check --config (including that its secrets are set), print it and exit.")
  boolean validateOnly;

  @Override
  public Integer call() throws InterruptedException {
    AlertingConfig c = config == null ? AlertingConfig.logOnly() : AlertingConfigLoader.load(config, System::getenv);
    PrintWriter out = spec.commandLine().getOut();
    if (validateOnly) {
      out.println("config ok: destinations " + c.destinations().values());
      c.routes().forEach(r -> out.println("  route " + r.name() + ": tenants " + (r.tenants().isEmpty() ? "any" : r.tenants())
          + ", types " + (r.types().isEmpty() ? "any" : r.types()) + ", severity >= " + r.minSeverity() + " -> " + r.destinations()
          + (r.stop() ? " (stop)" : "")));
      out.println("  default -> " + c.defaultRoute());
      out.flush();
      return 0;
    }
    AlertingSettings s = AlertingSettings.of(connect.kafka, connect.registry, c, host, port).withGroup(group);
    Alerting alerting = Alerting.start(s);
    Runtime.getRuntime().addShutdownHook(new Thread(alerting::close, "alerting-stop"));
    out.printf("alerting started (group %s, %d destination(s), default route %s); health on http://%s:%d/healthz%n", group,
        c.destinations().size(), c.defaultRoute(), host, alerting.port());
    out.flush();
    return alerting.awaitStop() ? 0 : 1;
  }
}
