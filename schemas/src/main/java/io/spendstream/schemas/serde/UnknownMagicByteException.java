package io.spendstream.schemas.serde;

/** The first byte is not the Confluent wire-format magic byte 0: not our format (JSON? another serde?). */
public final class UnknownMagicByteException extends PoisonRecordException {
  private static final long serialVersionUID = 1L;

  public UnknownMagicByteException(String topic, int magic) {
    super("unknown_magic_byte", "record on topic '" + topic + "' starts with byte 0x"
        + String.format("%02x", magic & 0xff) + ", not the Confluent wire-format magic byte 0x00"
        + " (was it written by a non-Avro or non-Confluent serializer?)", null);
  }
}
