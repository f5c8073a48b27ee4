package io.spendstream.infra.clickhouse;

import java.util.List;

/**
 * How an INSERT that carries data (after {@code FORMAT x} or {@code VALUES}, in the SQL text or the
 * request body) is run on chDB: the data goes to a file and the statement becomes
 * {@code INSERT INTO t [(cols)] FROM INFILE 'file' [SETTINGS ...] FORMAT x}. chDB must never see data
 * inlined into SQL text: it cuts inlined data at a blank line and runs the rest as SQL.
 *
 * @param head the statement up to the data keyword, without SETTINGS
 * @param settings the statement's {@code SETTINGS ...} clause, or empty
 * @param format input format of the data ({@code Values} for VALUES)
 * @param inlineDataOffset char offset in the SQL where inline data starts (may be at its end)
 */
record InsertPlan(String head, String settings, String format, int inlineDataOffset) {

  /** The plan for {@code sql}, or null when it is not an INSERT with data (e.g. INSERT ... SELECT). */
  static InsertPlan of(String sql) {
    List<SqlText.Token> t = SqlText.topLevelTokens(sql);
    if (t.isEmpty() || !t.getFirst().is("INSERT")) {
      return null;
    }
    int settingsAt = -1;
    for (int i = 1; i < t.size(); i++) {
      SqlText.Token tok = t.get(i);
      if (tok.is("SELECT") || tok.is("WITH")) {
        return null;
      }
      if (tok.is("SETTINGS") && settingsAt < 0) {
        settingsAt = tok.start();
      }
      if (tok.is("VALUES")) {
        return plan(sql, settingsAt, tok.start(), "Values", tok.end());
      }
      if (tok.is("FORMAT") && i + 1 < t.size() && t.get(i + 1).word()) {
        SqlText.Token fmt = t.get(i + 1);
        int dataStart = fmt.end();
        // data starts after the whitespace that ends the format name (one line break at most)
        if (dataStart < sql.length() && sql.charAt(dataStart) == '\r') {
          dataStart++;
        }
        if (dataStart < sql.length() && (sql.charAt(dataStart) == '\n' || sql.charAt(dataStart) == ' ')) {
          dataStart++;
        }
        return plan(sql, settingsAt, tok.start(), fmt.text(), dataStart);
      }
    }
    return null;
  }

  private static InsertPlan plan(String sql, int settingsAt, int dataKeywordAt, String format, int dataStart) {
    String head = settingsAt >= 0 ? sql.substring(0, settingsAt) : sql.substring(0, dataKeywordAt);
    String settings = settingsAt >= 0 ? sql.substring(settingsAt, dataKeywordAt).strip() : "";
    return new InsertPlan(head.strip(), settings, format, Math.min(dataStart, sql.length()));
  }

  /** The statement chDB runs, reading the data from {@code file}. */
  String withInfile(String file) {
    return head + " FROM INFILE '" + file.replace("\\", "\\\\").replace("'", "\\'") + "' COMPRESSION 'none'"
        + (settings.isEmpty() ? "" : " " + settings) + " FORMAT " + format;
  }
}
