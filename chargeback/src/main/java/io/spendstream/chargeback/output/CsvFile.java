package io.spendstream.chargeback.output;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes a CSV with a header (RFC 4180 quoting by Jackson), via a temporary file renamed into place: never half a file. */
final class CsvFile {
  private static final CsvMapper CSV = new CsvMapper();

  private CsvFile() {}

  static void write(Path file, List<String> header, List<List<String>> rows) {
    CsvSchema.Builder b = CsvSchema.builder();
    header.forEach(b::addColumn);
    CsvSchema schema = b.build().withHeader().withNullValue("");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (SequenceWriter w = CSV.writer(schema).writeValues(tmp.toFile())) {
        for (List<String> r : rows) {
          w.write(r);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
