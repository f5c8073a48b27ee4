package io.spendstream.schemas.serde;

/** Too short for the wire format, or Avro binary that does not decode with the writer's schema. */
public final class MalformedRecordException extends PoisonRecordException {
  private static final long serialVersionUID = 1L;

  public MalformedRecordException(String topic, String detail, Throwable cause) {
    super("malformed_avro", "record on topic '" + topic + "' cannot be decoded: " + detail, cause);
  }
}
