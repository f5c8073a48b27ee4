package io.spendstream.sink.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** One versioned DDL file: {@code V<version>__<name>.sql}; its checksum is over the file text, before rendering. */
public record Migration(int version, String name, String text) {
  public String checksum() {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<String> statements(SchemaConfig config) {
    return DdlRenderer.render(text, config);
  }
}
