package io.spendstream.alerting.route;

import static io.spendstream.alerting.TestAlerts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.alerting.TestAlerts;
import io.spendstream.alerting.config.AlertingConfig;
import io.spendstream.alerting.config.AlertingConfigLoader;
import io.spendstream.schemas.avro.Severity;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static final Map<String, String> ENV = Map.of("HOOK_SECRET", "0123456789abcdef0123", "PD_KEY", "R0UT1NGKEY");
  private final Router router = new Router(AlertingConfigLoader.parse("""
      destinations:
        log: {kind: log}
        acme-slack: {kind: slack, url: "http://127.0.0.1:1/slack"}
        pager: {kind: pagerduty, routing_key_env: PD_KEY, url: "http://127.0.0.1:1/pd"}
        hook: {kind: webhook, url: "http://127.0.0.1:1/hook", secret_env: HOOK_SECRET}
      routes:
        - name: acme-only
          match: {tenants: [acme]}
          to: [acme-slack]
          stop: true
        - name: critical
          match: {min_severity: critical}
          to: [pager, hook]
        - name: storms
          match: {types: [retry_storm]}
          to: [hook]
      default: [log]
      """, "t.yaml", ENV::get));

  @Test
  void perTenantRuleWithStopTakesOnlyItsDestinations() {
    assertThat(router.destinationsFor(TestAlerts.anomaly("a", "acme", "/x", Severity.CRITICAL, T0))).containsExactly("acme-slack");
  }

  @Test
  void alertMatchingSeveralRulesGoesToTheUnionOnce() {
    assertThat(router.destinationsFor(TestAlerts.anomaly("a", "beta", "/x", Severity.CRITICAL, T0))).containsExactly("pager", "hook");
    assertThat(router.destinationsFor(TestAlerts.storm("s", "beta", "h", T0))).containsExactly("hook");
  }

  @Test
  void severityBelowTheMinimumFallsToTheDefaultRoute() {
    assertThat(router.destinationsFor(TestAlerts.anomaly("a", "beta", "/x", Severity.WARNING, T0))).containsExactly("log");
  }

  @Test
  void logOnlyConfigSendsEverythingToTheLog() {
    assertThat(new Router(AlertingConfig.logOnly()).destinationsFor(TestAlerts.storm("s", "x", "h", T0))).containsExactly("log");
  }
}
