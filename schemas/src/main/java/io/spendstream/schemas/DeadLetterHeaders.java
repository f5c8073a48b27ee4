package io.spendstream.schemas;

/**
 * Headers every stage puts on a record it sends to a dead-letter topic (the record itself is unchanged):
 * why, where it came from (topic/partition/offset) and which stage refused it.
 */
public final class DeadLetterHeaders {
  public static final String REASON = "spendstream.dlq.reason";
  public static final String SOURCE = "spendstream.dlq.source";
  public static final String STAGE = "spendstream.dlq.stage";

  private DeadLetterHeaders() {}
}
