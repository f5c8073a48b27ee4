package io.spendstream.alerting.tail;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;

/** What {@code alerts tail} shows: null fields match anything; severity is a minimum. */
public record AlertFilter(String tenant, AlertType type, Severity minSeverity) {
  public static AlertFilter all() {
    return new AlertFilter(null, null, null);
  }

  public boolean test(Alert a) {
    return (tenant == null || tenant.equals(a.getTenantId())) && (type == null || type == a.getType())
        && (minSeverity == null || a.getSeverity().ordinal() >= minSeverity.ordinal());
  }
}
