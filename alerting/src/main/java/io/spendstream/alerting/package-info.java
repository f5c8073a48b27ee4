/** Alert delivery from alerts.v1 to webhooks, Slack and PagerDuty (issue 7; not built yet). */
package io.spendstream.alerting;
