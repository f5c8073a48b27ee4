package io.spendstream.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one command line of spendstream. Thin: each subcommand is its own class. */
@Command(
    name = "spendstream",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "LLM-API telemetry to money, alerts and answers.",
    subcommands = {UpCommand.class, StatusCommand.class, DownCommand.class, GatewayCommand.class, ProcessorCommand.class,
        SinkCommand.class, AlertingCommand.class, AlertsCommand.class, SqlCommand.class, ReconcileCommand.class, LoadgenCommand.class, ReliabilityCommand.class, DashboardCommand.class, ReplayCommand.class, PriceCommand.class, BenchCommand.class, ImportCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Handled by the ./spendstream script itself:",
        "  test    Run all tests, unit and integration (mvn verify).",
        "", "Run 'spendstream help <command>' or 'spendstream <command> --help' for a command's options."})
public final class SpendstreamCli {
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static CommandLine commandLine() {
    return new CommandLine(new SpendstreamCli())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(new FriendlyErrors());
  }
}
