package io.spendstream.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Headers;

/**
 * Headers every stage puts on a record it sends to a dead-letter topic (the record itself is unchanged):
 * why, where it came from (topic/partition/offset) and which stage refused it.
 */
public final class DeadLetterHeaders {
  public static final String REASON = "spendstream.dlq.reason";
  public static final String SOURCE = "spendstream.dlq.source";
  public static final String STAGE = "spendstream.dlq.stage";
  /** Set when the value was cut to {@link #MAX_VALUE_BYTES}: the original size in bytes. */
  public static final String TRUNCATED_FROM = "spendstream.dlq.truncated_from";
  /** A dead letter keeps the original bytes up to this size (the broker refuses records of ~1 MiB with headers). */
  public static final int MAX_VALUE_BYTES = 512 * 1024;

  private DeadLetterHeaders() {}

  /** Adds reason, source and stage to {@code headers} (a copy of the record's own), as every stage writes them. */
  public static Headers add(Headers headers, String reason, String source, String stage) {
    headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(SOURCE, source.getBytes(StandardCharsets.UTF_8));
    headers.add(STAGE, stage.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  /** The value as a dead letter can carry it: cut past {@link #MAX_VALUE_BYTES}, with the original size in a header. */
  public static byte[] cut(byte[] value, Headers headers) {
    if (value == null || value.length <= MAX_VALUE_BYTES) {
      return value;
    }
    headers.add(TRUNCATED_FROM, Integer.toString(value.length).getBytes(StandardCharsets.UTF_8));
    return Arrays.copyOf(value, MAX_VALUE_BYTES);
  }
}
