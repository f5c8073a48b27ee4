package io.spendstream.schemas.registry;

/** Any other 4xx answer, e.g. 422 invalid schema. */
public final class RegistryRequestException extends RegistryException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final int errorCode;

  public RegistryRequestException(String message, int status, int errorCode) {
    super(message, null);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  public int errorCode() {
    return errorCode;
  }
}
