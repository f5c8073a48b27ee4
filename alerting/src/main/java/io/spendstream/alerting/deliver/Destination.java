package io.spendstream.alerting.deliver;

import io.spendstream.alerting.config.DestinationConfig;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;

/** Something that takes notifications: one attempt per call, no retries (the worker retries). */
public interface Destination {
  String name();

  SendResult send(Notification n);

  static Destination of(DestinationConfig c, HttpClient http, Clock clock) {
    return switch (c.kind()) {
      case LOG -> new LogDestination(c.name());
      case WEBHOOK -> new HttpDestination(c, http, (n, b) -> {
        Instant now = clock.instant();  // one instant: the body's sent_at and the signed timestamp agree
        byte[] body = Payloads.webhook(n, now);
        long ts = now.getEpochSecond();
        b.header(Signature.TIMESTAMP_HEADER, Long.toString(ts)).header(Signature.SIGNATURE_HEADER, Signature.sign(c.secret(), ts, body))
            .header("Idempotency-Key", n.idempotencyHeader());
        return body;
      });
      case SLACK -> new HttpDestination(c, http, (n, b) -> Payloads.slack(n));
      case PAGERDUTY -> new HttpDestination(c, http, (n, b) -> Payloads.pagerDuty(n, c.secret()));
    };
  }
}
