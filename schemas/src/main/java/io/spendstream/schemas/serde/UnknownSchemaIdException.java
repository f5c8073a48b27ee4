package io.spendstream.schemas.serde;

/** The record names a schema id the registry does not know (written against another registry?). */
public final class UnknownSchemaIdException extends PoisonRecordException {
  private static final long serialVersionUID = 1L;

  public UnknownSchemaIdException(String topic, int id, Throwable cause) {
    super("unknown_schema_id", "record on topic '" + topic + "' refers to schema id " + id
        + ", which the schema registry does not know (was it written against another registry?)", cause);
  }
}
