package io.spendstream.cli;

import io.spendstream.alerting.tail.AlertFilter;
import io.spendstream.alerting.tail.AlertTail;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream alerts}: what the detectors found, for people. */
@Command(name = "alerts", mixinStandardHelpOptions = true, description = "Alerts on alerts.v1.",
    subcommands = AlertsCommand.Tail.class)
final class AlertsCommand {

  @Command(name = "tail", mixinStandardHelpOptions = true,
      description = {"Prints alerts as they arrive, one line each: time (event time of detection), severity, tenant,",
          "type, what it is about, value vs baseline/threshold, cost, message. Commits nothing (tail as often as you like)."})
  static final class Tail implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectOptions connect;

    @Option(names = "--tenant", description = "Only this tenant.")
    String tenant;

    @Option(names = "--type", description = "Only this type: ${COMPLETION-CANDIDATES}.")
    AlertType type;

    @Option(names = "--severity", description = "At least this severity: ${COMPLETION-CANDIDATES}.")
    Severity severity;

    @Option(names = "--from-beginning", description = "Start at the oldest alert kept instead of the newest.")
    boolean fromBeginning;

    @Option(names = "--json", description = "One JSON object per line (the Avro record's JSON form) instead of text.")
    boolean json;

    @Option(names = "--max", defaultValue = "0", description = "Stop after this many alerts (default: run until Ctrl-C).")
    long max;

    @Option(names = "--topic", defaultValue = Topics.ALERTS, description = "Alert topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      AtomicBoolean stop = new AtomicBoolean();
      Thread hook = new Thread(() -> stop.set(true), "alerts-tail-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        PrintWriter flushing = new PrintWriter(out, true);
        new AlertTail(connect.kafka, connect.registry, topic).print(new AlertFilter(tenant, type, severity), fromBeginning, json, max,
            flushing, new PrintWriter(spec.commandLine().getErr(), true), stop::get);
        flushing.flush();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the JVM is already on its way out
        }
      }
      return 0;
    }
  }
}
