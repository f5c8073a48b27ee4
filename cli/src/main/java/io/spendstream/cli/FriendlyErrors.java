package io.spendstream.cli;

import io.spendstream.chargeback.ReconcileFailedException;
import io.spendstream.pricing.PriceCatalogException;
import picocli.CommandLine;

/**
 * Turns expected failures (bad input, bad config) into one clear line and exit code 2, without a stack
 * trace; anything else is a bug and keeps its stack trace.
 */
final class FriendlyErrors implements CommandLine.IExecutionExceptionHandler {
  static final int USAGE_ERROR = 2;

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (ex instanceof IllegalArgumentException || ex instanceof PriceCatalogException
        || ex instanceof io.spendstream.infra.process.PortInUseException || ex instanceof IllegalStateException) {
      cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
      return USAGE_ERROR;
    }
    if (ex instanceof ReconcileFailedException) {
      cmd.getErr().println(cmd.getColorScheme().errorText("error: " + ex.getMessage()));
      return 1;
    }
    throw new IllegalStateException(ex);
  }
}
