package io.spendstream.alerting.config;

import io.spendstream.config.Problems;
import java.net.URI;
import java.time.Duration;

/**
 * One destination. {@code url} is the webhook / Slack / PagerDuty endpoint; {@code secret} is the webhook's HMAC
 * key or PagerDuty's routing key (both read from the environment, never from the file, never logged).
 * {@code cooldown}: one notification per alert group per cooldown (by event time), later ones counted as
 * suppressed repeats; {@code ratePerMinute}: at most this many notifications per minute (excess waits, 0 = no limit).
 */
public record DestinationConfig(String name, DestinationKind kind, URI url, String secret, Duration cooldown,
    int ratePerMinute, Duration timeout, RetryPolicy retry) {

  public static final URI PAGERDUTY_EVENTS = URI.create("https://events.pagerduty.com/v2/enqueue");

  public DestinationConfig {
    Problems p = new Problems("destinations." + name);
    p.check(kind != null, "kind", "must be one of webhook, slack, pagerduty, log");
    if (kind != null && kind != DestinationKind.LOG) {
      p.check(url != null && ("https".equals(url.getScheme()) || "http".equals(url.getScheme())), "url",
          "must be an http(s) URL (or set url_env)");
    }
    if (kind == DestinationKind.WEBHOOK) {
      p.check(secret != null && secret.length() >= 16, "secret_env",
          "must name an environment variable holding the HMAC secret (at least 16 characters)");
    }
    if (kind == DestinationKind.PAGERDUTY) {
      p.check(secret != null && !secret.isBlank(), "routing_key_env",
          "must name an environment variable holding the PagerDuty routing key");
    }
    p.notNegative("cooldown", cooldown);
    p.check(ratePerMinute >= 0, "rate_limit_per_minute", "must be >= 0 (0 = no limit)");
    p.positive("timeout", timeout);
    p.throwIfAny();
  }

  /** The config as it may be printed: no secret, no URL path (Slack URLs are secrets). */
  @Override
  public String toString() {
    return "%s(%s %s, cooldown %s, %s/min)".formatted(name, kind.configName(),
        url == null ? "-" : url.getScheme() + "://" + url.getAuthority(), cooldown, ratePerMinute == 0 ? "unlimited" : ratePerMinute);
  }
}
