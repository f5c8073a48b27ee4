package io.spendstream.cli;

import io.spendstream.infra.stack.StackControl;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code spendstream down}: stops a stack that {@code up} started, leaving no process behind. */
@Command(name = "down", mixinStandardHelpOptions = true,
    description = "Stops the local stack cleanly (SIGTERM, then SIGKILL after 30 s); data stays in the state dir.")
final class DownCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<String> stopped = StackControl.down(stack.config().stackFile(), Duration.ofSeconds(30));
    out.println(stopped.isEmpty() ? "nothing was running." : "stopped: " + String.join(", ", stopped));
    return 0;
  }
}
