package io.spendstream.sink.schema;

/** The database's schema cannot be brought to this version (a changed migration, a failed statement). */
public final class MigrationException extends RuntimeException {
  public MigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
