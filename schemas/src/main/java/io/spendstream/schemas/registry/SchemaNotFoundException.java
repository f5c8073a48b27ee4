package io.spendstream.schemas.registry;

/** HTTP 404: no schema with that id, no such subject, or the schema is not registered under it. */
public final class SchemaNotFoundException extends RegistryException {
  private static final long serialVersionUID = 1L;
  private final int errorCode;

  public SchemaNotFoundException(String message, int errorCode) {
    super(message, null);
    this.errorCode = errorCode;
  }

  /** Confluent error code: 40401 subject not found, 40402 version not found, 40403 schema not found. */
  public int errorCode() {
    return errorCode;
  }
}
