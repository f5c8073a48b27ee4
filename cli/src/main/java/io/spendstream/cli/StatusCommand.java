package io.spendstream.cli;

import io.spendstream.infra.stack.StackControl;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code spendstream status}: what the local stack runs, whether it answers, and its memory. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Shows each component of the local stack: pid, health, endpoint, resident memory.",
        "Exit code 0 when all are up and healthy, 1 when some are not, 3 when nothing runs."})
final class StatusCommand implements Callable<Integer> {
  static final int NOTHING_RUNS = 3;

  @Spec
  CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Optional<List<StackControl.ComponentStatus>> status = StackControl.status(stack.config().stackFile());
    if (status.isEmpty()) {
      out.println("nothing runs (no stack in " + stack.resolvedStateDir() + "); start it with 'spendstream up'");
      return NOTHING_RUNS;
    }
    out.printf("%-16s %8s %-9s %-44s %8s  %s%n", "component", "pid", "state", "endpoint", "RSS MiB", "log");
    boolean allGood = true;
    for (StackControl.ComponentStatus s : status.get()) {
      String state = !s.alive() ? "stopped" : s.healthy() ? "healthy" : "unhealthy";
      allGood &= s.alive() && s.healthy();
      out.printf("%-16s %8d %-9s %-44s %8d  %s%n", s.name(), s.pid(), state, s.endpoint(), s.rssBytes() / (1024 * 1024), s.log());
    }
    return allGood ? 0 : 1;
  }
}
