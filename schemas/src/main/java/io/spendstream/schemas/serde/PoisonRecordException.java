package io.spendstream.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The record's bytes cannot be read, whatever we retry: route it to a dead-letter topic with
 * {@link #reason()} and go on. Infrastructure faults (the registry is down) are NOT poison: they surface
 * as {@link io.spendstream.schemas.registry.RegistryUnavailableException} and must stop or pause the
 * consumer instead of skipping data.
 */
public sealed class PoisonRecordException extends SerializationException
    permits UnknownMagicByteException, UnknownSchemaIdException, MalformedRecordException {
  private static final long serialVersionUID = 1L;
  private final String reason;

  PoisonRecordException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** A short machine-readable reason for the dead-letter record, e.g. {@code unknown_magic_byte}. */
  public String reason() {
    return reason;
  }
}
