package io.spendstream.stream.kafka;

import io.spendstream.schemas.serde.MalformedRecordException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * State written once per call in a hot store: a version byte, then the fields as Avro varints and strings in a
 * fixed order, without the generic record writer. The caller checks the version byte before {@link #decode}.
 */
public final class FlatState {
  private FlatState() {}

  public interface Fields {
    void write(BinaryEncoder out) throws IOException;
  }

  public interface Reader<T> {
    T read(BinaryDecoder in) throws IOException;
  }

  public static byte[] encode(byte version, int sizeHint, Fields fields) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(sizeHint);
      bytes.write(version);
      BinaryEncoder out = EncoderFactory.get().directBinaryEncoder(bytes, null);
      fields.write(out);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads the fields after the version byte; anything short, unreadable or left over is malformed. */
  public static <T> T decode(String what, byte[] bytes, Reader<T> reader) {
    try {
      BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null);
      T value = reader.read(in);
      if (!in.isEnd()) {
        throw new MalformedRecordException(what, "trailing bytes after a " + what, null);
      }
      return value;
    } catch (IOException | RuntimeException e) {
      if (e instanceof MalformedRecordException m) {
        throw m;
      }
      throw new MalformedRecordException(what, "not a " + what + ": " + e, e);
    }
  }
}
