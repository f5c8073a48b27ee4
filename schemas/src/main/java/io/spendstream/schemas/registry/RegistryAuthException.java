package io.spendstream.schemas.registry;

/** HTTP 401/403: credentials missing, wrong, or not allowed to do this. Retrying will not help. */
public final class RegistryAuthException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryAuthException(String message) {
    super(message, null);
  }
}
