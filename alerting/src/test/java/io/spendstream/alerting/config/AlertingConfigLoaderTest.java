package io.spendstream.alerting.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertingConfigLoaderTest {
  @Test
  void exampleFileLoadsWithItsSecretsFromTheEnvironment() {
    AlertingConfig c = AlertingConfigLoader.load(Path.of("alerting.example.yaml"), Map.of(
        "SPENDSTREAM_WEBHOOK_SECRET", "a-long-enough-secret", "SPENDSTREAM_SLACK_URL", "https://hooks.slack.com/services/T/B/X",
        "SPENDSTREAM_PAGERDUTY_KEY", "abc123")::get);
    assertThat(c.destinations()).containsKeys("log", "oncall-webhook", "team-slack", "pagerduty");
    DestinationConfig pd = c.destinations().get("pagerduty");
    assertThat(pd.url()).isEqualTo(DestinationConfig.PAGERDUTY_EVENTS);
    assertThat(pd.secret()).isEqualTo("abc123");
    assertThat(c.destinations().get("oncall-webhook").cooldown()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.defaultRoute()).containsExactly("log");
    assertThat(pd.toString()).doesNotContain("abc123");
    assertThat(c.destinations().get("team-slack").toString()).doesNotContain("services");
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> AlertingConfigLoader.parse("""
        destinations:
          hook: {kind: webhook, url: "ftp://x", secret_env: NOPE, cooldown: soon}
          pd: {kind: pagerduty}
          odd: {kind: carrier-pigeon, colour: grey}
        routes:
          - match: {types: [retry_storm, bad_type], min_severity: loud}
            to: [ghost]
        default: []
        """, "a.yaml", Map.<String, String>of()::get))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).contains(
            "a.yaml: destinations.hook.secret_env: environment variable NOPE is not set",
            "a.yaml: destinations.hook.cooldown: 'soon' is not a duration (use e.g. 60s, 10m, 24h or PT10M)",
            "a.yaml: destinations.odd.colour: unknown setting (known: cooldown, kind, rate_limit_per_minute, retry, routing_key_env,"
                + " secret_env, timeout, url, url_env)",
            "a.yaml: destinations.odd.kind: 'carrier-pigeon' is not one of webhook, slack, pagerduty, log",
            "a.yaml: routes.#1.match.min_severity: 'loud' is not one of info, warning, critical")
            .anySatisfy(p -> assertThat(p).contains("destinations.hook.url: must be an http(s) URL"))
            .anySatisfy(p -> assertThat(p).contains("destinations.pd.routing_key_env: must name an environment variable"))
            .anySatisfy(p -> assertThat(p).contains("routes.#1.match.types: 'bad_type' is not an alert type")));
  }

  @Test
  void routesMustNameDefinedDestinationsAndTheDefaultRouteMustExist() {
    assertThatThrownBy(() -> AlertingConfigLoader.parse("""
        destinations: {log: {kind: log}}
        routes: [{name: r1, match: {tenants: acme}, to: [ghost]}]
        """, "b.yaml", k -> null))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
            "b.yaml: routes.r1.to: no destination named 'ghost' (defined: log)",
            "b.yaml: default: must name at least one destination, so that no alert goes nowhere"));
  }

  @Test
  void backoffDoublesUpToTheCap() {
    RetryPolicy p = new RetryPolicy(6, Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertThat(java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(p::backoffAfter).toList()).containsExactly(
        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(5));
  }
}
