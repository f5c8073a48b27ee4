package io.spendstream.alerting.deliver;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import java.util.Locale;

/**
 * One alert on its way to one destination, with the number of repeats of its group that the destination's
 * cooldown held back since the last notification.
 */
public record Notification(Alert alert, String destination, long suppressedRepeats) {
  /**
   * What receivers dedupe by: the alert's fingerprint plus its status (a resolve is a new event for the same
   * incident). Redeliveries after a crash or retry carry the same key.
   */
  public String idempotencyKey() {
    return alert.getAlertId() + ":" + alert.getStatus().name().toLowerCase(Locale.ROOT);
  }

  /**
   * The idempotency key as an HTTP header value can carry it: as is when it is printable ASCII (every id the
   * processor makes), else {@code sha256:} and the hex of its SHA-256 (an id written by someone else with
   * CR/LF, controls or non-ASCII must neither break the request nor inject a header).
   */
  public String idempotencyHeader() {
    String key = idempotencyKey();
    if (key.length() <= 200 && key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      return key;
    }
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  public boolean resolved() {
    return alert.getStatus() == AlertStatus.RESOLVED;
  }
}
