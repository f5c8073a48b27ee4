package io.spendstream.schemas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The prompt fingerprint used to spot retry storms: the first 8 bytes of SHA-256 of the UTF-8 prompt,
 * as 16 lowercase hex characters. The raw prompt is hashed and dropped; it is never stored.
 */
public final class PromptHash {
  public static final Pattern FORMAT = Pattern.compile("[0-9a-f]{16}");

  private PromptHash() {}

  public static String of(String prompt) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(prompt.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
