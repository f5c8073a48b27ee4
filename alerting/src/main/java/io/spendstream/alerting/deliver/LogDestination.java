package io.spendstream.alerting.deliver;

import io.spendstream.alerting.AlertText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes each notification as one log line: the default destination of a local stack. */
final class LogDestination implements Destination {
  private static final Logger LOG = LoggerFactory.getLogger("spendstream.alerts");
  private final String name;

  LogDestination(String name) {
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public SendResult send(Notification n) {
    LOG.info("event=alert_delivered destination={} key={} suppressed_repeats={} {}", name, n.idempotencyKey(),
        n.suppressedRepeats(), AlertText.line(n.alert()));
    return new SendResult.Sent(0);
  }
}
