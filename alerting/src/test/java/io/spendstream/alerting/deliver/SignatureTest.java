package io.spendstream.alerting.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SignatureTest {
  private static final byte[] BODY = "{\"spec\":\"spendstream.alert.v1\"}".getBytes(StandardCharsets.UTF_8);
  private static final Instant NOW = Instant.ofEpochSecond(1_795_000_000L);

  @Test
  void signatureIsHmacSha256OfTimestampDotBody() {
    // independent value: printf '1795000000.{"spec":"spendstream.alert.v1"}' | openssl dgst -sha256 -hmac 'secret-of-16-chars'
    assertThat(Signature.sign("secret-of-16-chars", 1_795_000_000L, BODY))
        .isEqualTo("v1=ea88a087557390f941cee6b0baa6642c842cb0ddcced9a478966de0e8cb454ac");
  }

  @Test
  void receiverAcceptsTheRightSecretAndRejectsTamperingWrongSecretsAndOldTimestamps() {
    String sig = Signature.sign("secret-of-16-chars", NOW.getEpochSecond(), BODY);
    String ts = Long.toString(NOW.getEpochSecond());
    assertThat(Signature.verify("secret-of-16-chars", ts, sig, BODY, NOW, Duration.ofMinutes(5))).isTrue();
    assertThat(Signature.verify("another-secret-16", ts, sig, BODY, NOW, Duration.ofMinutes(5))).isFalse();
    byte[] tampered = "{\"spec\":\"spendstream.alert.v2\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(Signature.verify("secret-of-16-chars", ts, sig, tampered, NOW, Duration.ofMinutes(5))).isFalse();
    assertThat(Signature.verify("secret-of-16-chars", ts, sig, BODY, NOW.plusSeconds(301), Duration.ofMinutes(5))).isFalse();
    assertThat(Signature.verify("secret-of-16-chars", ts, "v1=zz", BODY, NOW, Duration.ofMinutes(5))).isFalse();
    assertThat(Signature.verify("secret-of-16-chars", null, sig, BODY, NOW, Duration.ofMinutes(5))).isFalse();
  }
}
