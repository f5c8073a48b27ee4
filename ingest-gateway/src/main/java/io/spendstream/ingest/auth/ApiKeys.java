package io.spendstream.ingest.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * API keys are 32 random bytes (URL-safe base64 after an {@code sk_ss_} prefix); the gateway stores
 * only their SHA-256 ({@code sha256:<hex>}). High-entropy keys need no slow hash: nobody can guess one
 * from its SHA-256.
 */
public final class ApiKeys {
  public static final String PREFIX = "sk_ss_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeys() {}

  public static String generate() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return PREFIX + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** The stored form of a key: {@code sha256:<64 hex>}. */
  public static String hash(String key) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
