package io.spendstream.schemas.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Reads typed fields from a JSON object and collects every problem instead of stopping at the first,
 * so a sender learns all that is wrong with an event in one answer. Error texts never echo values.
 */
final class FieldReader {
  /** Year 2000 and year 2200 in epoch ms: outside that an epoch number is a unit mistake. */
  private static final long MIN_EPOCH_MS = 946_684_800_000L;
  private static final long MAX_EPOCH_MS = 7_258_118_400_000L;

  private final List<FieldError> errors = new ArrayList<>();

  List<FieldError> errors() {
    return errors;
  }

  void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }

  static boolean present(JsonNode n) {
    return n != null && !n.isNull() && !n.isMissingNode();
  }

  /** A string field; null when absent (and an error when {@code required}). */
  String string(JsonNode obj, String name, String path, boolean required, int maxLength, Predicate<String> rule,
      String patternHint) {
    JsonNode n = obj.get(name);
    if (!present(n)) {
      if (required) {
        error(path, "required");
      }
      return null;
    }
    if (!n.isTextual()) {
      error(path, "must be a string, got " + kind(n));
      return null;
    }
    String s = n.textValue();
    if (s.isEmpty()) {
      error(path, "must not be empty");
      return null;
    }
    if (s.length() > maxLength) {
      error(path, "must be at most " + maxLength + " characters, got " + s.length());
      return null;
    }
    if (!isCleanText(s)) {
      error(path, "must not contain control or format characters (Unicode Cc, Cf: e.g. bidi overrides) or unpaired UTF-16 surrogates");
      return null;
    }
    if (rule != null && !rule.test(s)) {
      error(path, "must be " + patternHint);
      return null;
    }
    return s;
  }

  /** An integer field within [min, max]; null when absent. */
  Long integer(JsonNode n, String path, long min, long max) {
    if (!present(n)) {
      return null;
    }
    if (!n.isNumber()) {
      error(path, "must be an integer, got " + kind(n));
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      error(path, n.isIntegralNumber() ? "is out of range (must be " + min + ".." + max + ")"
          : "must be a whole number, got a fraction or exponent");
      return null;
    }
    long v = n.longValue();
    if (v < min || v > max) {
      error(path, "must be " + min + ".." + max + ", got " + v);
      return null;
    }
    return v;
  }

  /**
   * The same years as epoch milliseconds (2000 to 2200), for RFC 3339 strings too: a time no store of ours can
   * hold (ClickHouse DateTime64 ends in 2299; "+10000-01-01" overflows nothing here but breaks inserts later)
   * is refused at the edge, naming the field.
   */
  private Instant inStoredRange(Instant t, String path) {
    if (t.isBefore(Instant.ofEpochMilli(MIN_EPOCH_MS)) || t.isAfter(Instant.ofEpochMilli(MAX_EPOCH_MS))) {
      error(path, "must lie between the years 2000 and 2200, got " + t);
      return null;
    }
    return t;
  }

  /** RFC 3339 string with zone offset, or epoch milliseconds; truncated to milliseconds. */
  Instant timestamp(JsonNode n, String path, boolean required) {
    if (!present(n)) {
      if (required) {
        error(path, "required");
      }
      return null;
    }
    if (n.isTextual()) {
      Instant fast = Rfc3339.parseUtcMillis(n.textValue());
      if (fast != null) {
        return inStoredRange(fast, path);
      }
      try {
        return inStoredRange(OffsetDateTime.parse(n.textValue()).toInstant().truncatedTo(ChronoUnit.MILLIS), path);
      } catch (DateTimeParseException e) {
        error(path, "must be an RFC 3339 timestamp with a zone offset, e.g. 2026-11-23T10:15:30.123Z,"
            + " or epoch milliseconds");
        return null;
      }
    }
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      long ms = n.longValue();
      if (ms >= MIN_EPOCH_MS / 1000 && ms < MAX_EPOCH_MS / 1000) {
        error(path, "looks like epoch seconds; send epoch milliseconds or an RFC 3339 string");
        return null;
      }
      if (ms < MIN_EPOCH_MS || ms > MAX_EPOCH_MS) {
        error(path, "epoch milliseconds must lie between the years 2000 and 2200");
        return null;
      }
      return Instant.ofEpochMilli(ms);
    }
    error(path, "must be an RFC 3339 string or epoch milliseconds, got " + kind(n));
    return null;
  }

  static String kind(JsonNode n) {
    if (n.isTextual()) {
      return "a string";
    }
    if (n.isNumber()) {
      return "a number";
    }
    if (n.isBoolean()) {
      return "a boolean";
    }
    if (n.isArray()) {
      return "an array";
    }
    if (n.isObject()) {
      return "an object";
    }
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * No control characters (Unicode Cc: C0, DEL, C1), no format characters (Cf: bidi overrides such as U+202E
   * that make a route read backwards, zero-width characters), no unpaired surrogates. Tenant-chosen text ends
   * up in dashboards, SQL results and chat messages, where such characters disguise what people read.
   */
  static boolean isCleanText(String s) {
    for (int i = 0; i < s.length(); ) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
      int cp = s.codePointAt(i);
      int type = Character.getType(cp);
      if (type == Character.CONTROL || type == Character.FORMAT) {
        return false;
      }
      i += Character.charCount(cp);
    }
    return true;
  }

}
