package io.spendstream.infra.clickhouse;

/**
 * What chDB answered for one statement: output bytes in the requested format, or the engine's error
 * text ({@code Code: N. DB::Exception: ...}). Counters are meaningful only when {@link #ok()}.
 */
public record QueryResult(byte[] data, String error, long rowsRead, long bytesRead, long rowsWritten,
    long bytesWritten, double elapsedSeconds) {

  public boolean ok() {
    return error == null;
  }

  static QueryResult failed(String error) {
    return new QueryResult(new byte[0], error, 0, 0, 0, 0, 0);
  }
}
