package io.spendstream.sink;

import io.spendstream.schemas.Topics;

/** The topics the sink reads, and its dead-letter topic; tests use their own names. */
public record SinkTopics(String priced, String windows, String alerts, String reportedUsage, String deadLetters) {
  public static SinkTopics defaults() {
    return new SinkTopics(Topics.LLM_CALLS_PRICED, Topics.COST_WINDOWS, Topics.ALERTS, Topics.USAGE_REPORTED,
        Topics.SINK_DLQ);
  }

  public static SinkTopics withSuffix(String s) {
    SinkTopics d = defaults();
    return new SinkTopics(d.priced() + s, d.windows() + s, d.alerts() + s, d.reportedUsage() + s, d.deadLetters() + s);
  }
}
