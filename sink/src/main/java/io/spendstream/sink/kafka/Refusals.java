package io.spendstream.sink.kafka;

import com.clickhouse.client.api.ServerException;
import java.util.Optional;
import java.util.Set;

/**
 * Tells "ClickHouse refuses these rows" (their values cannot be stored: retrying never helps, so the batch
 * is split to find them) from "ClickHouse is unavailable or failing" (retry, paused). Only error codes that
 * name a value are refusals: a schema error (unknown column or table) refuses every row alike and is
 * retried as a fault of the deployment, never dead-lettered row by row.
 */
final class Refusals {
  /**
   * CANNOT_PARSE_TEXT 6, CANNOT_PARSE_INPUT_ASSERTION_FAILED 27, CANNOT_PARSE_DATE 38, CANNOT_PARSE_DATETIME 41,
   * TYPE_MISMATCH 53, ARGUMENT_OUT_OF_BOUND 69, CANNOT_CONVERT_TYPE 70, CANNOT_PARSE_NUMBER 72, INCORRECT_DATA 117,
   * TOO_LARGE_STRING_SIZE 131, VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE 321, DECIMAL_OVERFLOW 407,
   * CANNOT_PARSE_ESCAPE_SEQUENCE 25, CANNOT_PARSE_QUOTED_STRING 26, CANNOT_READ_ARRAY_FROM_TEXT 130,
   * UNKNOWN_ELEMENT_OF_ENUM 691, CANNOT_PARSE_BOOL 467, INCORRECT_NUMBER_OF_COLUMNS 7, VIOLATED_CONSTRAINT 469
   * (a CHECK constraint an operator added).
   */
  private static final Set<Integer> VALUE_ERRORS = Set.of(6, 7, 25, 26, 27, 38, 41, 53, 69, 70, 72, 117, 130, 131, 321, 407,
      467, 469, 691);

  private Refusals() {}

  /** The server's reason when it refused the values of the rows, empty when the failure is anything else. */
  static Optional<String> reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ServerException s && VALUE_ERRORS.contains(s.getCode())) {
        String m = s.getMessage() == null ? "" : s.getMessage().lines().findFirst().orElse("");
        return Optional.of("refused by ClickHouse (code " + s.getCode() + "): " + (m.length() > 500 ? m.substring(0, 500) : m));
      }
    }
    return Optional.empty();
  }
}
