package io.spendstream.ingest.kafka;

/** Kafka or the schema registry did not acknowledge every event in time: the client must retry. */
public final class PublishFailedException extends Exception {
  private static final long serialVersionUID = 1L;

  public PublishFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
