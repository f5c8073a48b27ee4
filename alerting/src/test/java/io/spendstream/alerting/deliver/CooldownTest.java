package io.spendstream.alerting.deliver;

import static io.spendstream.alerting.TestAlerts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.alerting.TestAlerts;
import io.spendstream.schemas.avro.Alert;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CooldownTest {
  private final Cooldown cooldown = new Cooldown(Duration.ofMinutes(10));

  @Test
  void repeatsOfAGroupInsideTheCooldownAreCountedAndReportedWithTheNextNotification() {
    assertThat(cooldown.offer(TestAlerts.storm("a1", "acme", "h", T0), "d").send()).hasValueSatisfying(
        n -> assertThat(n.suppressedRepeats()).isZero());
    Cooldown.Decision second = cooldown.offer(TestAlerts.storm("a2", "acme", "h", T0.plusSeconds(120)), "d");
    assertThat(second.send()).isEmpty();
    assertThat(second.suppressed()).isEqualTo(Cooldown.Suppression.REPEAT);
    assertThat(cooldown.offer(TestAlerts.storm("a3", "acme", "h", T0.plusSeconds(599)), "d").send()).isEmpty();
    assertThat(cooldown.offer(TestAlerts.storm("a4", "acme", "h", T0.plusSeconds(600)), "d").send()).hasValueSatisfying(
        n -> assertThat(n.suppressedRepeats()).isEqualTo(2));
    assertThat(cooldown.offer(TestAlerts.storm("a5", "acme", "h", T0.plusSeconds(1300)), "d").send()).hasValueSatisfying(
        n -> assertThat(n.suppressedRepeats()).isZero());
  }

  @Test
  void anEarlierAlertArrivingLateInsideTheCooldownIsARepeatToo() {
    assertThat(cooldown.offer(TestAlerts.storm("a2", "acme", "h", T0.plusSeconds(300)), "d").send()).isPresent();
    assertThat(cooldown.offer(TestAlerts.storm("a1", "acme", "h", T0), "d").suppressed()).isEqualTo(Cooldown.Suppression.REPEAT);
  }

  @Test
  void otherGroupsAreNotHeldBack() {
    assertThat(cooldown.offer(TestAlerts.storm("a1", "acme", "h", T0), "d").send()).isPresent();
    assertThat(cooldown.offer(TestAlerts.storm("b1", "acme", "other-hash", T0), "d").send()).isPresent();
    assertThat(cooldown.offer(TestAlerts.storm("c1", "beta", "h", T0), "d").send()).isPresent();
  }

  @Test
  void theSameFingerprintTwiceIsADuplicateNotARepeat() {
    Alert a = TestAlerts.storm("a1", "acme", "h", T0);
    cooldown.offer(a, "d");
    Cooldown.Decision again = cooldown.offer(a, "d");
    assertThat(again.send()).isEmpty();
    assertThat(again.suppressed()).isEqualTo(Cooldown.Suppression.DUPLICATE);
    assertThat(new Cooldown(Duration.ZERO).offer(a, "d").send()).isPresent();
  }

  @Test
  void resolutionsAlwaysPass() {
    Alert a = TestAlerts.storm("a1", "acme", "h", T0);
    cooldown.offer(a, "d");
    assertThat(cooldown.offer(TestAlerts.resolved(a), "d").send()).hasValueSatisfying(
        n -> assertThat(n.idempotencyKey()).isEqualTo("a1:resolved"));
  }

  @Test
  void zeroCooldownPassesEveryNewFingerprint() {
    Cooldown none = new Cooldown(Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      assertThat(none.offer(TestAlerts.storm("a" + i, "acme", "h", T0), "d").send()).isPresent();
    }
  }
}
