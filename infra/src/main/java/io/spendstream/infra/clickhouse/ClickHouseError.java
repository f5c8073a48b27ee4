package io.spendstream.infra.clickhouse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error as the ClickHouse HTTP interface reports it: numeric code, {@code Code: N. DB::Exception: ...}
 * body, and the HTTP status ClickHouse maps that code to.
 */
record ClickHouseError(int code, String message) {
  private static final Pattern CODE = Pattern.compile("Code: (\\d+)\\.");
  static final int SYNTAX_ERROR = 62;
  static final int READONLY = 164;
  static final int AUTHENTICATION_FAILED = 516;
  static final int ACCESS_DENIED = 497;
  static final int NOT_IMPLEMENTED = 48;
  static final int SETTING_CONSTRAINT_VIOLATION = 452;
  static final int UNKNOWN_SETTING = 115;
  static final int CANNOT_DECOMPRESS = 271;

  /** From chDB's error text, which already is in ClickHouse's form. */
  static ClickHouseError fromEngine(String text) {
    Matcher m = CODE.matcher(text);
    int code = m.find() ? Integer.parseInt(m.group(1)) : 1000;
    String body = text.startsWith("Code:") ? text : "Code: " + code + ". DB::Exception: " + text;
    return new ClickHouseError(code, body);
  }

  static ClickHouseError of(int code, String name, String detail) {
    return new ClickHouseError(code, "Code: " + code + ". DB::Exception: " + detail + ". (" + name + ")");
  }

  /** ClickHouse's mapping of exception codes to HTTP statuses (HTTPHandler). */
  int httpStatus() {
    return switch (code) {
      case 192, 193, 194, AUTHENTICATION_FAILED -> 401; // UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD
      case READONLY, ACCESS_DENIED, SETTING_CONSTRAINT_VIOLATION -> 403; // READONLY, ACCESS_DENIED
      case 60, 81, 46, 16 -> 404; // UNKNOWN_TABLE, UNKNOWN_DATABASE, UNKNOWN_FUNCTION, NO_SUCH_COLUMN_IN_TABLE
      case NOT_IMPLEMENTED -> 501;
      case 202, 209, 210 -> 503; // TOO_MANY_SIMULTANEOUS_QUERIES, SOCKET_TIMEOUT, NETWORK_ERROR
      case SYNTAX_ERROR, 6, 25, 26, 27, 32, 33, 36, 38, 41, 43, 44, 47, 53, 69, 70, 72, 73, UNKNOWN_SETTING, 117, 130,
          131, 135, CANNOT_DECOMPRESS -> 400;
      default -> 500;
    };
  }
}
