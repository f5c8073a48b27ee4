package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's --help renders cleanly: picocli formats descriptions, and a lone % there is a warning on stderr. */
class HelpTextTest {
  @Test
  void everyCommandsHelpRendersWithoutFormatWarnings() {
    List<String> commands = new ArrayList<>();
    PrintStream stderr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      walk(SpendstreamCli.commandLine(), commands);
    } finally {
      System.setErr(stderr);
    }
    assertThat(commands).contains("spendstream reconcile", "spendstream sink", "spendstream import claude-code");
    assertThat(warnings.toString(StandardCharsets.UTF_8)).as("picocli's warnings while rendering help").isEmpty();
  }

  @Test
  void theToolsStartServicesWithThisMainClass() {
    assertThat(io.spendstream.tools.CliMain.CLASS).isEqualTo(SpendstreamCli.class.getName());
  }

  private static void walk(CommandLine cmd, List<String> seen) {
    String usage = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertThat(usage).as(cmd.getCommandSpec().qualifiedName()).doesNotContain("%n").doesNotContain("${DEFAULT-VALUE}");
    seen.add(cmd.getCommandSpec().qualifiedName());
    cmd.getSubcommands().values().stream().distinct().forEach(sub -> walk(sub, seen));
  }
}
