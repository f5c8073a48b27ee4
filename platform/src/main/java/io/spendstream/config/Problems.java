package io.spendstream.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a config section so the user sees them all at once. */
public final class Problems {
  private final String section;
  private final List<String> found = new ArrayList<>();

  public Problems(String section) {
    this.section = section;
  }

  public void check(boolean ok, String field, String why) {
    if (!ok) {
      found.add(section + "." + field + ": " + why);
    }
  }

  public void positive(String field, Duration d) {
    check(d != null && d.isPositive(), field, "must be a positive duration");
  }

  public void notNegative(String field, Duration d) {
    check(d != null && !d.isNegative(), field, "must be a duration >= 0");
  }

  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new ConfigException(found);
    }
  }
}
