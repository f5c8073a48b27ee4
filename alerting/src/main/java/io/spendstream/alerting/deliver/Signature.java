package io.spendstream.alerting.deliver;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signatures. The sender sets {@code X-Spendstream-Timestamp: <unix seconds>} and
 * {@code X-Spendstream-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>}. A receiver recomputes
 * the HMAC over the raw body bytes, compares in constant time, and rejects timestamps more than 5 minutes away
 * from its clock (replays).
 */
public final class Signature {
  public static final String TIMESTAMP_HEADER = "X-Spendstream-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Spendstream-Signature";
  public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

  private Signature() {}

  public static String sign(String secret, long unixSeconds, byte[] body) {
    return "v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
  }

  /** The check a receiver makes; also what our tests use against what the receiver got on the wire. */
  public static boolean verify(String secret, String timestampHeader, String signatureHeader, byte[] body, Instant now,
      Duration tolerance) {
    if (timestampHeader == null || signatureHeader == null || !signatureHeader.startsWith("v1=")) {
      return false;
    }
    long ts;
    try {
      ts = Long.parseLong(timestampHeader.trim());
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(now.getEpochSecond() - ts) > tolerance.toSeconds()) {
      return false;
    }
    byte[] expected = hmac(secret, ts, body);
    byte[] given;
    try {
      given = HexFormat.of().parseHex(signatureHeader.substring(3).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(expected, given);
  }

  private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable: " + e.getMessage(), e);
    }
  }
}
