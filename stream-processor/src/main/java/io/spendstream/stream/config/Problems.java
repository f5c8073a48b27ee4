package io.spendstream.stream.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a config section so the user sees them all at once. */
final class Problems {
  private final String section;
  private final List<String> found = new ArrayList<>();

  Problems(String section) {
    this.section = section;
  }

  void check(boolean ok, String field, String why) {
    if (!ok) {
      found.add(section + "." + field + ": " + why);
    }
  }

  void positive(String field, Duration d) {
    check(d != null && d.isPositive(), field, "must be a positive duration");
  }

  void notNegative(String field, Duration d) {
    check(d != null && !d.isNegative(), field, "must be a duration >= 0");
  }

  void throwIfAny() {
    if (!found.isEmpty()) {
      throw new ConfigException(found);
    }
  }
}
