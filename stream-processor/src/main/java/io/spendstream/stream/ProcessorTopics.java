package io.spendstream.stream;

import io.spendstream.schemas.Topics;

/** The topics the processor reads and writes; tests and benchmarks use their own names. */
public record ProcessorTopics(String calls, String priced, String windows, String alerts, String callsDlq, String rerouted) {
  public static ProcessorTopics defaults() {
    return new ProcessorTopics(Topics.LLM_CALLS, Topics.LLM_CALLS_PRICED, Topics.COST_WINDOWS, Topics.ALERTS,
        Topics.LLM_CALLS_DLQ, Topics.LLM_CALLS_REROUTED);
  }

  public static ProcessorTopics withSuffix(String suffix) {
    ProcessorTopics d = defaults();
    return new ProcessorTopics(d.calls() + suffix, d.priced() + suffix, d.windows() + suffix, d.alerts() + suffix,
        d.callsDlq() + suffix, d.rerouted() + suffix);
  }
}
