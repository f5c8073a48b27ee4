package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code spendstream} command shown in the README and docs/ (in code blocks) is one the CLI accepts: the
 * command exists and each option and value parses. A renamed option or command makes a stale example fail the build.
 */
class DocCommandsTest {
  /** VAR=value prefixes, then ./spendstream or spendstream. */
  private static final Pattern COMMAND = Pattern.compile("^(?:[A-Z_]+=\\S*\\s+)*(?:\\./)?spendstream\\s+(.*)$");
  /** The script's own command (not the Java CLI's). */
  private static final Set<String> SCRIPT_TEST_ARGS = Set.of("--fast", "--integration", "--system", "--help");

  @Test
  void everyDocumentedCommandParses() throws IOException {
    List<String> seen = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (Path doc : DocExamples.docs()) {
      for (DocExamples.Line e : DocExamples.codeLines(doc)) {
        Matcher m = COMMAND.matcher(e.text());
        if (!m.matches()) {
          continue;
        }
        String command = m.group(1).strip();
        seen.add(command);
        List<String> args = tokens(command);
        if (!args.isEmpty() && args.getFirst().equals("test")) {
          if (!SCRIPT_TEST_ARGS.containsAll(args.subList(1, args.size()))) {
            failures.add(e + ": ./spendstream test takes " + SCRIPT_TEST_ARGS);
          }
          continue;
        }
        try {
          SpendstreamCli.commandLine().parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException ex) {
          failures.add(e + ": " + ex.getMessage());
        }
      }
    }
    assertThat(seen).as("commands found in the docs").hasSizeGreaterThanOrEqualTo(15)
        .anyMatch(c -> c.startsWith("up --demo")).anyMatch(c -> c.startsWith("reconcile")).anyMatch(c -> c.startsWith("import"));
    assertThat(failures).as("documented commands the CLI refuses").isEmpty();
  }

  /** Shell words: quotes kept together; an optional part shown as [--opt VALUE] counts as given. */
  static List<String> tokens(String command) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (char c : command.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else if ((c == '[' || c == ']') && word.isEmpty() != (c == ']')) {
        // the [ ] around an optional part, not a character of a value
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      out.add(word.toString());
    }
    return out;
  }
}
