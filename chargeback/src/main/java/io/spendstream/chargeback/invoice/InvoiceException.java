package io.spendstream.chargeback.invoice;

/** An invoice file that cannot be read; the message names the file, the line or item, and why. */
public final class InvoiceException extends IllegalArgumentException {
  public InvoiceException(String message) {
    super(message);
  }
}
