package io.spendstream.sink.rows;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Writes one record as one JSONEachRow line of its ClickHouse table. {@link #check} returns why a record
 * cannot be a row (it would violate the table's types), or null; such records are dead-lettered instead.
 */
public interface RowEncoder<T> {
  String check(T value);

  void write(JsonGenerator json, T value) throws IOException;
}
