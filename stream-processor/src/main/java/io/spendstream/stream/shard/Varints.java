package io.spendstream.stream.shard;

import io.spendstream.schemas.serde.MalformedRecordException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/** The pieces of the compact state codecs: unsigned LEB128 varints and one way to report bytes that are not a value. */
final class Varints {
  private Varints() {}

  /** Unsigned LEB128: counts, sums and epoch milliseconds, never negative. */
  static void write(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static long read(ByteBuffer in) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      v |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return v;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes");
  }

  /** Runs a decoder; anything it throws becomes a {@link MalformedRecordException} naming {@code what}. */
  static <T> T decoding(String what, Supplier<T> decode) {
    try {
      return decode.get();
    } catch (MalformedRecordException m) {
      throw m;
    } catch (RuntimeException e) {
      throw new MalformedRecordException(what, "not a " + what + ": " + e, e);
    }
  }
}
