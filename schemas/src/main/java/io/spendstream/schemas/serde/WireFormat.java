package io.spendstream.schemas.serde;

import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0x00, 4-byte big-endian schema id, then the Avro binary
 * encoding of the record.
 */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0x0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Reads and checks the header; leaves {@code buf} positioned at the Avro payload. Returns the schema id. */
  public static int readHeader(String topic, ByteBuffer buf) {
    if (buf.remaining() < HEADER_SIZE) {
      throw new MalformedRecordException(topic, "only " + buf.remaining() + " bytes; the wire format needs a "
          + HEADER_SIZE + "-byte header", null);
    }
    byte magic = buf.get();
    if (magic != MAGIC_BYTE) {
      throw new UnknownMagicByteException(topic, magic);
    }
    return buf.getInt();
  }

  /** The 5-byte header for a record written with the given schema id. */
  public static byte[] header(int schemaId) {
    return ByteBuffer.allocate(HEADER_SIZE).put(MAGIC_BYTE).putInt(schemaId).array();
  }
}
