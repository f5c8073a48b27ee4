package io.spendstream.stream.config;

import java.util.List;

/** A processor config that cannot be used; {@link #problems()} lists every reason, one per line. */
public final class ConfigException extends IllegalArgumentException {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super("invalid stream processor config: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
