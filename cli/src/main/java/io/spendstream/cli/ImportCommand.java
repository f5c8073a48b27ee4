package io.spendstream.cli;

import io.spendstream.cli.transcripts.ClaudeCodeTranscripts;
import io.spendstream.cli.transcripts.GatewaySender;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code spendstream import ...}: usage recorded elsewhere, sent through the gateway's API. */
@Command(name = "import", mixinStandardHelpOptions = true, description = "Imports usage recorded elsewhere through the gateway.",
    subcommands = ImportCommand.ClaudeCode.class)
final class ImportCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code spendstream import claude-code DIR}. */
  @Command(name = "claude-code", mixinStandardHelpOptions = true,
      description = {"Imports Claude Code's local session transcripts (the JSONL files under ~/.claude/projects): one call per",
          "API response, with its model and token usage, task = session (subagents under it). Re-running adds nothing:",
          "calls are keyed by the API request id. Calls older than the gateway accepts (--max-age) are counted, not sent."})
  static final class ClaudeCode implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "A transcripts directory, e.g. ~/.claude/projects (searched recursively).")
    Path dir;

    @Option(names = "--gateway", defaultValue = "http://127.0.0.1:8088", description = "Gateway URL (default: ${DEFAULT-VALUE}).")
    URI gateway;

    @Option(names = "--key-env", defaultValue = "SPENDSTREAM_KEY",
        description = "Environment variable holding the tenant's API key (default: ${DEFAULT-VALUE}); never on the command line.")
    String keyEnv;

    @Option(names = "--batch", defaultValue = "500", description = "Calls per request (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--max-age", defaultValue = "P7D",
        description = "The gateway's limit on event age (default: ${DEFAULT-VALUE}, its default); older calls are reported.")
    Duration maxAge;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      String key = System.getenv(keyEnv);
      if (key == null || key.isBlank()) {
        err.println("spendstream import: set " + keyEnv + " to the tenant's API key (./spendstream gateway keygen --tenant T)");
        return 2;
      }
      if (!Files.isDirectory(dir)) {
        err.println("spendstream import: " + dir + " is not a directory");
        return 2;
      }
      if (batch < 1 || batch > 10_000) {
        err.println("spendstream import: --batch must be 1..10000");
        return 2;
      }
      // a minute inside the gateway's limit: a call at its very edge would be refused by the time it arrives
      ClaudeCodeTranscripts.Reading r = ClaudeCodeTranscripts.read(dir, Instant.now().minus(maxAge).plus(Duration.ofMinutes(1)));
      out.printf("read %,d lines in %,d files: %,d API responses, %,d distinct calls to send%n", r.lines(), r.files(),
          r.responseLines(), r.calls().size());
      out.flush();
      int total = r.calls().size();
      GatewaySender.Totals t;
      try {
        t = new GatewaySender(gateway, key, batch).send(r.calls(), sent -> {
          int width = 30;
          int done = total == 0 ? width : (int) (width * sent / total);
          err.printf("\rsending [%s%s] %,d/%,d", "#".repeat(done), ".".repeat(width - done), sent, total);
          err.flush();
        });
      } catch (GatewaySender.Refused e) {
        err.println();
        err.println("spendstream import: " + e.getMessage());
        return 1;
      }
      err.println();
      out.printf("sent %,d: %,d accepted, %,d already there (duplicates), %,d rejected%n", total, t.accepted(), t.duplicates(),
          t.rejected());
      t.rejections().forEach(x -> out.println("  rejected " + x));
      if (r.tooOld() > 0) {
        String age = maxAge.toSeconds() % 86_400 == 0 ? maxAge.toDays() + " days" : maxAge.toString();
        out.printf("not sent: %,d calls older than %s (the oldest from %s): the gateway refuses events older than that%n",
            r.tooOld(), age, r.oldestTooOld());
      }
      if (r.synthetic() + r.withoutId() + r.unreadable() > 0) {
        out.printf("skipped: %,d synthetic responses (Claude Code's own error turns, no API call), %,d without a request or"
            + " message id, %,d unreadable lines%n", r.synthetic(), r.withoutId(), r.unreadable());
      }
      out.flush();
      return t.rejected() > 0 ? 3 : 0;
    }
  }
}
