package io.spendstream.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The lines of code blocks in the README and docs/, as a reader would copy them. */
final class DocExamples {
  static final Path REPO = Path.of("..");

  private DocExamples() {}

  /**
   * One line of a code block: continuation lines joined, a trailing shell comment cut. {@code shell} says the block is
   * marked bash or sh; {@code block} is the line of the block's opening fence; {@code expected} is the comment line right
   * after it when that shows JSON output (# {...}).
   */
  record Line(Path doc, int block, int line, boolean shell, String text, String expected) {
    @Override
    public String toString() {
      return REPO.relativize(doc) + ":" + line + " `" + text + "`";
    }
  }

  /** README.md, then every .md under docs/ in name order. */
  static List<Path> docs() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(REPO.resolve("README.md")));
    try (Stream<Path> files = Files.walk(REPO.resolve("docs"))) {
      files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  static List<Line> codeLines(Path doc) throws IOException {
    List<Line> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(doc);
    boolean inCode = false;
    boolean shell = false;
    int block = 0;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.strip().startsWith("```")) {
        inCode = !inCode;
        String lang = l.strip().substring(3).strip();
        shell = inCode && (lang.equals("bash") || lang.equals("sh"));
        block = i + 1;
        continue;
      }
      if (!inCode || l.isBlank() || l.strip().startsWith("#")) {
        continue;
      }
      int start = i;
      StringBuilder cmd = new StringBuilder(l);
      while (cmd.toString().stripTrailing().endsWith("\\") && i + 1 < lines.size()) {
        cmd.setLength(cmd.toString().stripTrailing().length() - 1);
        cmd.append(' ').append(lines.get(++i).strip());
      }
      String next = i + 1 < lines.size() ? lines.get(i + 1).strip() : "";
      String expected = next.startsWith("# {") || next.startsWith("# [") ? next.substring(2) : null;
      out.add(new Line(doc, block, start + 1, shell, withoutComment(cmd.toString()).strip(), expected));
    }
    return out;
  }

  /** The line up to a shell comment (a # after whitespace, outside quotes). */
  static String withoutComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        quote = c == quote ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && i > 0 && Character.isWhitespace(line.charAt(i - 1))) {
        return line.substring(0, i);
      }
    }
    return line;
  }
}
