package io.spendstream.stream;

import java.time.Duration;

/** Short labels for durations in store names and metrics: 60s -> "1m", 3600s -> "1h". */
public final class Labels {
  private Labels() {}

  public static String of(Duration d) {
    long s = d.toSeconds();
    if (s % 86_400 == 0) {
      return s / 86_400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
  }
}
