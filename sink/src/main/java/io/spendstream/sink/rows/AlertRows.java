package io.spendstream.sink.rows;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spendstream.schemas.avro.Alert;
import java.io.IOException;

/** alerts.v1 -> alerts. */
public final class AlertRows implements RowEncoder<Alert> {
  @Override
  public String check(Alert a) {
    if (a.getAlertId() == null || a.getAlertId().isEmpty()) {
      return "alert_id: is empty";
    }
    return Rows.storableTimes("detected_at", a.getDetectedAt(), "window_start", a.getWindowStart(), "window_end",
        a.getWindowEnd());
  }

  @Override
  public void write(JsonGenerator j, Alert a) throws IOException {
    j.writeStringField("alert_id", a.getAlertId());
    j.writeStringField("type", a.getType().name());
    j.writeStringField("severity", a.getSeverity().name());
    j.writeStringField("status", a.getStatus().name());
    j.writeStringField("tenant_id", a.getTenantId());
    j.writeStringField("dimension", a.getDimension());
    j.writeStringField("dimension_value", a.getDimensionValue());
    Rows.text(j, "route", a.getRoute());
    Rows.text(j, "model", a.getModel());
    Rows.time(j, "detected_at", a.getDetectedAt());
    Rows.time(j, "window_start", a.getWindowStart());
    Rows.time(j, "window_end", a.getWindowEnd());
    j.writeNumberField("observed_value", a.getObservedValue());
    j.writeNumberField("threshold", a.getThreshold());
    Rows.optionalLong(j, "baseline", a.getBaseline());
    j.writeStringField("observed_unit", a.getObservedUnit());
    if (a.getZScore() == null) {
      j.writeNullField("z_score");
    } else {
      j.writeNumberField("z_score", a.getZScore());
    }
    j.writeNumberField("cost_nanos", a.getCostNanos());
    j.writeStringField("message", a.getMessage());
    Rows.map(j, "evidence", a.getEvidence());
  }
}
