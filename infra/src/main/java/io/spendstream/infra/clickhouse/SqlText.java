package io.spendstream.infra.clickhouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Just enough of ClickHouse's lexical rules (strings, quoted identifiers, comments, parentheses) to find
 * top-level keywords and statement boundaries without being fooled by text inside literals.
 */
final class SqlText {
  /** A top-level token: a bare word, or any other lexeme (kept only for positions). */
  record Token(String text, int start, int end, boolean word) {
    boolean is(String keyword) {
      return word && text.equalsIgnoreCase(keyword);
    }
  }

  private SqlText() {}

  /** Top-level tokens of {@code sql}, up to the end or the first top-level ';'. */
  static List<Token> topLevelTokens(String sql) {
    return tokens(sql, false);
  }

  /** Tokens at every depth (inside parentheses too), up to the end or the first top-level ';'. */
  static List<Token> allTokens(String sql) {
    return tokens(sql, true);
  }

  private static List<Token> tokens(String sql, boolean everyDepth) {
    List<Token> out = new ArrayList<>();
    int depth = 0;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-' || c == '#') {
        int nl = sql.indexOf('\n', i);
        i = nl < 0 ? n : nl + 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int endC = sql.indexOf("*/", i + 2);
        i = endC < 0 ? n : endC + 2;
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = skipQuoted(sql, i, c);
        if (everyDepth || depth == 0) {
          out.add(new Token(sql.substring(i, end), i, end, false));
        }
        i = end;
      } else if (c == '(' || c == '[') {
        if (everyDepth || depth == 0) {
          out.add(new Token(String.valueOf(c), i, i + 1, false));
        }
        depth++;
        i++;
      } else if (c == ')' || c == ']') {
        depth = Math.max(0, depth - 1);
        i++;
      } else if (c == ';' && depth == 0) {
        out.add(new Token(";", i, i + 1, false));
        return out;
      } else if (Character.isLetterOrDigit(c) || c == '_') {
        int s = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        if (everyDepth || depth == 0) {
          out.add(new Token(sql.substring(s, i), s, i, true));
        }
      } else {
        if (everyDepth || depth == 0) {
          out.add(new Token(String.valueOf(c), i, i + 1, false));
        }
        i++;
      }
    }
    return out;
  }

  private static int skipQuoted(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return sql.length();
  }

  /** The first keyword, upper case; empty for a statement without one. */
  static String firstKeyword(String sql) {
    for (Token t : topLevelTokens(sql)) {
      return t.word() ? t.text().toUpperCase(Locale.ROOT) : "";
    }
    return "";
  }

  /** True when something other than blanks or comments follows the first top-level ';'. */
  static boolean hasMoreThanOneStatement(String sql) {
    List<Token> tokens = topLevelTokens(sql);
    if (tokens.isEmpty() || !tokens.getLast().text().equals(";")) {
      return false;
    }
    return !topLevelTokens(sql.substring(tokens.getLast().end())).isEmpty();
  }

  /** The SQL up to (not including) a top-level ';'. */
  static String withoutTrailingSemicolon(String sql) {
    List<Token> tokens = topLevelTokens(sql);
    if (!tokens.isEmpty() && tokens.getLast().text().equals(";")) {
      return sql.substring(0, tokens.getLast().start());
    }
    return sql;
  }

  /** The format named by a trailing top-level {@code FORMAT name}, or null. */
  static String trailingFormat(String sql) {
    List<Token> t = topLevelTokens(withoutTrailingSemicolon(sql));
    if (t.size() >= 2 && t.get(t.size() - 2).is("FORMAT") && t.getLast().word()) {
      return t.getLast().text();
    }
    return null;
  }

  static boolean containsWord(String sql, String word) {
    return topLevelTokens(sql).stream().anyMatch(t -> t.is(word));
  }
}
