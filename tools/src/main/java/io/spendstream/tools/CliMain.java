package io.spendstream.tools;

/**
 * The CLI's main class, by name. The benchmarks and the reliability suite start services as {@code spendstream
 * <service>} in child JVMs on this JVM's class path, which holds the CLI when they run; this module cannot depend on
 * the CLI that runs it. {@code HelpTextTest} in the CLI checks that the name is right.
 */
public final class CliMain {
  public static final String CLASS = "io.spendstream.cli.SpendstreamCli";

  private CliMain() {}
}
