package io.spendstream.alerting.deliver;

/** The outcome of one attempt to deliver one notification. */
public sealed interface SendResult {
  record Sent(int status) implements SendResult {}

  /** {@code retryable}: timeouts, connection failures, 408, 429 and 5xx; anything else will not get better by waiting. */
  record Failed(String reason, boolean retryable) implements SendResult {}
}
