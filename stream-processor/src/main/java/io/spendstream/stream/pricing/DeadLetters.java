package io.spendstream.stream.pricing;

/** Headers on a dead-lettered record: why, where it came from (topic/partition/offset) and which stage. */
public final class DeadLetters {
  public static final String REASON = "spendstream.dlq.reason";
  public static final String SOURCE = "spendstream.dlq.source";
  public static final String STAGE = "spendstream.dlq.stage";

  private DeadLetters() {}
}
