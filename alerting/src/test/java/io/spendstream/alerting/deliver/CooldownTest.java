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
    assertThat(deliver(cooldown, TestAlerts.storm("a1", "acme", "h", T0), "d").send()).hasValueSatisfying(
        n -> assertThat(n.suppressedRepeats()).isZero());
    Cooldown.Decision second = deliver(cooldown, TestAlerts.storm("a2", "acme", "h", T0.plusSeconds(120)), "d");
    assertThat(second.send()).isEmpty();
    assertThat(second.suppressed()).isEqualTo(Cooldown.Suppression.REPEAT);
    assertThat(deliver(cooldown, TestAlerts.storm("a3", "acme", "h", T0.plusSeconds(599)), "d").send()).isEmpty();
    assertThat(deliver(cooldown, TestAlerts.storm("a4", "acme", "h", T0.plusSeconds(600)), "d").send()).hasValueSatisfying(
        n -> assertThat(n.suppressedRepeats()).isEqualTo(2));
    assertThat(deliver(cooldown, TestAlerts.storm("a5", "acme", "h", T0.plusSeconds(1300)), "d").send()).hasValueSatisfying(
        n -> assertThat(n.suppressedRepeats()).isZero());
  }

  @Test
  void anEarlierAlertArrivingLateInsideTheCooldownIsARepeatToo() {
    assertThat(deliver(cooldown, TestAlerts.storm("a2", "acme", "h", T0.plusSeconds(300)), "d").send()).isPresent();
    assertThat(deliver(cooldown, TestAlerts.storm("a1", "acme", "h", T0), "d").suppressed()).isEqualTo(Cooldown.Suppression.REPEAT);
  }

  @Test
  void otherGroupsAreNotHeldBack() {
    assertThat(deliver(cooldown, TestAlerts.storm("a1", "acme", "h", T0), "d").send()).isPresent();
    assertThat(deliver(cooldown, TestAlerts.storm("b1", "acme", "other-hash", T0), "d").send()).isPresent();
    assertThat(deliver(cooldown, TestAlerts.storm("c1", "beta", "h", T0), "d").send()).isPresent();
  }

  @Test
  void theSameFingerprintTwiceIsADuplicateNotARepeat() {
    Alert a = TestAlerts.storm("a1", "acme", "h", T0);
    deliver(cooldown, a, "d");
    Cooldown.Decision again = deliver(cooldown, a, "d");
    assertThat(again.send()).isEmpty();
    assertThat(again.suppressed()).isEqualTo(Cooldown.Suppression.DUPLICATE);
    assertThat(deliver(new Cooldown(Duration.ZERO), a, "d").send()).isPresent();
  }

  @Test
  void resolutionsAlwaysPass() {
    Alert a = TestAlerts.storm("a1", "acme", "h", T0);
    deliver(cooldown, a, "d");
    assertThat(deliver(cooldown, TestAlerts.resolved(a), "d").send()).hasValueSatisfying(
        n -> assertThat(n.idempotencyKey()).isEqualTo("a1:resolved"));
  }

  @Test
  void zeroCooldownPassesEveryNewFingerprint() {
    Cooldown none = new Cooldown(Duration.ZERO);
    for (int i = 0; i < 5; i++) {
      assertThat(deliver(none, TestAlerts.storm("a" + i, "acme", "h", T0), "d").send()).isPresent();
    }
  }
  /** As the destination worker does: offer, and when it is to be sent, record it as delivered. */
  private static Cooldown.Decision deliver(Cooldown c, Alert a, String destination) {
    Cooldown.Decision d = c.offer(a, destination);
    d.send().ifPresent(n -> c.sent(a));
    return d;
  }

  @Test
  void aNotificationThatWasNotDeliveredSilencesNothing() {
    Alert first = TestAlerts.storm("a1", "acme", "h", T0);
    assertThat(cooldown.offer(first, "d").send()).isPresent(); // parked, never sent: sent() not called
    assertThat(deliver(cooldown, TestAlerts.storm("a2", "acme", "h", T0.plusSeconds(60)), "d").send()).isPresent();
    assertThat(deliver(cooldown, TestAlerts.storm("a3", "acme", "h", T0.plusSeconds(120)), "d").suppressed())
        .isEqualTo(Cooldown.Suppression.REPEAT);
  }

  @Test
  void instancesSharingTheLogNotifyAGroupOnceAndAnotherScopeIsIndependent() {
    SentLog shared = SentLog.inMemory();
    Cooldown one = new Cooldown(Duration.ofMinutes(10), shared, "alerting|webhook");
    Cooldown restartedOrSecond = new Cooldown(Duration.ofMinutes(10), shared, "alerting|webhook");
    Cooldown otherDestination = new Cooldown(Duration.ofMinutes(10), shared, "alerting|slack");
    assertThat(deliver(one, TestAlerts.storm("a1", "acme", "h", T0), "webhook").send()).isPresent();
    assertThat(deliver(restartedOrSecond, TestAlerts.storm("a2", "acme", "h", T0.plusSeconds(30)), "webhook").suppressed())
        .isEqualTo(Cooldown.Suppression.REPEAT);
    assertThat(deliver(restartedOrSecond, TestAlerts.storm("a1", "acme", "h", T0), "webhook").suppressed())
        .isEqualTo(Cooldown.Suppression.DUPLICATE);
    assertThat(deliver(otherDestination, TestAlerts.storm("a2", "acme", "h", T0.plusSeconds(30)), "slack").send()).isPresent();
  }
}
