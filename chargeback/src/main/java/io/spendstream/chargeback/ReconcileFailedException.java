package io.spendstream.chargeback;

/** ClickHouse or the file system failed during a run (not the data): retrying later may help. */
public final class ReconcileFailedException extends RuntimeException {
  public ReconcileFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
