package io.spendstream.pricing;

import java.util.List;

/** The catalog file cannot be used; lists every problem found, each with where it is. */
public final class PriceCatalogException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public PriceCatalogException(String source, List<String> problems) {
    super("price catalog " + source + " is invalid:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
