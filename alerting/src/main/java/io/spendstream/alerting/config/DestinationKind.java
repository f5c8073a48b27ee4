package io.spendstream.alerting.config;

import java.util.Locale;

/** Where a destination sends: a signed JSON webhook, a Slack incoming webhook, PagerDuty Events v2, or the log. */
public enum DestinationKind {
  WEBHOOK, SLACK, PAGERDUTY, LOG;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
