package io.spendstream.schemas.registry;

/**
 * Base of the schema registry client's errors. Subclasses say whether the registry could not be
 * reached ({@link RegistryUnavailableException}: an infrastructure fault, retry later) or answered no.
 */
public abstract sealed class RegistryException extends RuntimeException
    permits RegistryUnavailableException, IncompatibleSchemaException, SchemaNotFoundException,
        RegistryAuthException, RegistryRequestException {
  private static final long serialVersionUID = 1L;

  RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
