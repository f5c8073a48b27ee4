package io.spendstream.sink.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A query's columns and rows as display text, printable as an aligned table, CSV or JSON. */
public record SqlResult(List<String> columns, List<List<String>> rows) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public int column(String name) {
    int i = columns.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + name + " in " + columns);
    }
    return i;
  }

  public String value(int row, String column) {
    return rows.get(row).get(column(column));
  }

  public String table() {
    int[] width = new int[columns.size()];
    for (int c = 0; c < columns.size(); c++) {
      width[c] = columns.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    StringBuilder b = new StringBuilder();
    line(b, columns, width);
    for (int c = 0; c < width.length; c++) {
      b.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    b.append('\n');
    rows.forEach(r -> line(b, r, width));
    b.append(String.format("(%d row%s)%n", rows.size(), rows.size() == 1 ? "" : "s"));
    return b.toString();
  }

  private static void line(StringBuilder b, List<String> values, int[] width) {
    for (int c = 0; c < values.size(); c++) {
      String v = values.get(c);
      b.append(c == 0 ? "" : "  ").append(v).append(" ".repeat(width[c] - v.length()));
    }
    b.setLength(b.length() - (b.length() > 0 && values.size() > 0 ? trailing(b) : 0));
    b.append('\n');
  }

  private static int trailing(StringBuilder b) {
    int n = 0;
    while (n < b.length() && b.charAt(b.length() - 1 - n) == ' ') {
      n++;
    }
    return n;
  }

  public String csv() {
    StringBuilder b = new StringBuilder();
    b.append(String.join(",", columns.stream().map(SqlResult::csvField).toList())).append('\n');
    rows.forEach(r -> b.append(String.join(",", r.stream().map(SqlResult::csvField).toList())).append('\n'));
    return b.toString();
  }

  private static String csvField(String v) {
    return v.contains(",") || v.contains("\"") || v.contains("\n") ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
  }

  public String json() {
    ArrayNode out = JSON.createArrayNode();
    for (List<String> r : rows) {
      ObjectNode o = out.addObject();
      for (int c = 0; c < columns.size(); c++) {
        o.put(columns.get(c), r.get(c));
      }
    }
    return out.toPrettyString() + "\n";
  }
}
