package io.spendstream.stream;

import io.spendstream.schemas.Topics;

/** The topics the processor reads and writes; tests and benchmarks use their own names. */
public record ProcessorTopics(String calls, String priced, String windows, String alerts, String callsDlq) {
  public static ProcessorTopics defaults() {
    return new ProcessorTopics(Topics.LLM_CALLS, Topics.LLM_CALLS_PRICED, Topics.COST_WINDOWS, Topics.ALERTS,
        Topics.LLM_CALLS_DLQ);
  }

  public static ProcessorTopics withSuffix(String suffix) {
    ProcessorTopics d = defaults();
    return new ProcessorTopics(d.calls() + suffix, d.priced() + suffix, d.windows() + suffix, d.alerts() + suffix,
        d.callsDlq() + suffix);
  }
}
