package io.spendstream.schemas.registry;

/** The registry did not answer (connection refused, timeout, 5xx) after all retries. */
public final class RegistryUnavailableException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
