package io.spendstream.sink.rows;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** Helpers shared by the encoders: ClickHouse DateTime64(3, 'UTC') text, optional values, range checks. */
final class Rows {
  private static final DateTimeFormatter DATETIME64 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneOffset.UTC);
  static final long UINT32_MAX = 0xFFFF_FFFFL;

  /** DateTime64(3)'s range: ClickHouse stores a time outside it as a wrong time without an error. */
  static final Instant DATETIME64_MIN = Instant.parse("1900-01-01T00:00:00Z");
  static final Instant DATETIME64_MAX = Instant.parse("2299-12-31T23:59:59.999Z");

  private Rows() {}

  /** Why these times cannot be stored, or null: pairs of field name and time (a null time is fine). */
  static String storableTimes(Object... fieldsAndTimes) {
    for (int i = 0; i < fieldsAndTimes.length; i += 2) {
      Instant t = (Instant) fieldsAndTimes[i + 1];
      if (t != null && (t.isBefore(DATETIME64_MIN) || t.isAfter(DATETIME64_MAX))) {
        return fieldsAndTimes[i] + ": " + t + " is outside what ClickHouse DateTime64 stores (" + DATETIME64_MIN + " to "
            + DATETIME64_MAX + ")";
      }
    }
    return null;
  }

  static void time(JsonGenerator j, String field, Instant t) throws IOException {
    if (t == null) {
      j.writeNullField(field);
    } else {
      j.writeStringField(field, DATETIME64.format(t));
    }
  }

  static void text(JsonGenerator j, String field, String v) throws IOException {
    j.writeStringField(field, v == null ? "" : v);
  }

  static void optionalLong(JsonGenerator j, String field, Long v) throws IOException {
    if (v == null) {
      j.writeNullField(field);
    } else {
      j.writeNumberField(field, v);
    }
  }

  static void map(JsonGenerator j, String field, Map<String, String> m) throws IOException {
    j.writeObjectFieldStart(field);
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(m).entrySet()) {
      j.writeStringField(e.getKey(), e.getValue());
    }
    j.writeEndObject();
  }

  /** First violation among unsigned columns, or null. */
  static String unsigned(Object... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      Object v = namesAndValues[i + 1];
      if (v instanceof Number n && n.longValue() < 0) {
        return namesAndValues[i] + ": " + n + " does not fit the unsigned column";
      }
    }
    return null;
  }

  static String withinUInt32(String field, long v) {
    return v < 0 || v > UINT32_MAX ? field + ": " + v + " does not fit UInt32" : null;
  }
}
