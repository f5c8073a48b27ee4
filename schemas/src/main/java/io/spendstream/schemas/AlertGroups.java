package io.spendstream.schemas;

import io.spendstream.schemas.avro.Alert;

/**
 * Alerts about the same thing share a group (type, tenant and what the alert is about, e.g. one prompt hash or one
 * route); incidents of one group get different fingerprints (alert_id), and a destination's cooldown applies to
 * the group. The group is also the key of alerts.v1: all alerts of a group are on one partition, so one
 * alerting instance at a time decides its cooldown, in order.
 */
public final class AlertGroups {
  private AlertGroups() {}

  public static String keyOf(Alert a) {
    return a.getType() + "|" + a.getTenantId() + "|" + a.getDimension() + "=" + a.getDimensionValue();
  }
}
