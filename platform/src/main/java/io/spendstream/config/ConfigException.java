package io.spendstream.config;

import java.util.List;

/** A config that cannot be used; {@link #problems()} lists every reason, one per line. */
public final class ConfigException extends IllegalArgumentException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("invalid config: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
