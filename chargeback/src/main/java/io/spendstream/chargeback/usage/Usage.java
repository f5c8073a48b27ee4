package io.spendstream.chargeback.usage;

/** Calls, tokens of four kinds and cost (nano-USD) of some calls; what the three paths are compared on. */
public record Usage(long calls, long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens,
    long costNanos) {
  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0);

  /** Checked: a sum past 64 bits fails loudly (reconcile reports it) instead of wrapping into a wrong bill. */
  public Usage plus(Usage o) {
    return new Usage(Math.addExact(calls, o.calls), Math.addExact(inputTokens, o.inputTokens),
        Math.addExact(outputTokens, o.outputTokens), Math.addExact(cacheReadTokens, o.cacheReadTokens),
        Math.addExact(cacheCreationTokens, o.cacheCreationTokens), Math.addExact(costNanos, o.costNanos));
  }

  public long tokens() {
    return Math.addExact(Math.addExact(inputTokens, outputTokens), Math.addExact(cacheReadTokens, cacheCreationTokens));
  }

  /** The first field that differs, as {@code field a vs b}; null when equal. */
  public String firstDifference(Usage o) {
    if (calls != o.calls) {
      return "calls " + calls + " vs " + o.calls;
    }
    if (costNanos != o.costNanos) {
      return "cost_nanos " + costNanos + " vs " + o.costNanos;
    }
    if (inputTokens != o.inputTokens) {
      return "input_tokens " + inputTokens + " vs " + o.inputTokens;
    }
    if (outputTokens != o.outputTokens) {
      return "output_tokens " + outputTokens + " vs " + o.outputTokens;
    }
    if (cacheReadTokens != o.cacheReadTokens) {
      return "cache_read_input_tokens " + cacheReadTokens + " vs " + o.cacheReadTokens;
    }
    if (cacheCreationTokens != o.cacheCreationTokens) {
      return "cache_creation_input_tokens " + cacheCreationTokens + " vs " + o.cacheCreationTokens;
    }
    return null;
  }
}
