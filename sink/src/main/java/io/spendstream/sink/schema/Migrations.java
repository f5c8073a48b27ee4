package io.spendstream.sink.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The schema's migrations, in order. A new migration is a new file here and a new entry in {@link #FILES}. */
public final class Migrations {
  static final String DIR = "/io/spendstream/sink/migrations/";
  /** Listed, not scanned: resource directories cannot be listed reliably inside a jar. A test checks the list. */
  static final List<String> FILES = List.of("V001__llm_calls.sql", "V002__cost_windows.sql", "V003__alerts.sql",
      "V004__hourly_rollup.sql", "V005__chargeback_daily.sql", "V006__money_sums_int128.sql", "V007__reported_cost.sql",
      "V008__reported_usage.sql");
  private static final Pattern NAME = Pattern.compile("V(\\d{3})__([a-z0-9_]+)\\.sql");

  private Migrations() {}

  public static List<Migration> all() {
    List<Migration> out = new ArrayList<>();
    for (String f : FILES) {
      Matcher m = NAME.matcher(f);
      if (!m.matches()) {
        throw new IllegalStateException("migration file name must look like V001__name.sql: " + f);
      }
      try (InputStream in = Migrations.class.getResourceAsStream(DIR + f)) {
        if (in == null) {
          throw new IllegalStateException("migration " + f + " is missing from the classpath");
        }
        out.add(new Migration(Integer.parseInt(m.group(1)), m.group(2), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).version() != i + 1) {
        throw new IllegalStateException("migration versions must be 1, 2, 3, ... without gaps: " + FILES);
      }
    }
    return out;
  }
}
