package io.spendstream.sink.rows;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spendstream.schemas.avro.ReportedUsage;
import java.io.IOException;

/** usage.reported.v1 -> reported_usage. */
public final class ReportedUsageRows implements RowEncoder<ReportedUsage> {
  @Override
  public String check(ReportedUsage u) {
    if (u.getEventId().isEmpty() || u.getSessionId().isEmpty()) {
      return "event_id and session_id: must not be empty";
    }
    return Rows.storableTimes("start_time", u.getStartTime(), "time", u.getTime(), "received_at", u.getReceivedAt());
  }

  @Override
  public void write(JsonGenerator j, ReportedUsage u) throws IOException {
    j.writeStringField("event_id", u.getEventId());
    j.writeStringField("tenant_id", u.getTenantId());
    j.writeStringField("source", u.getSource());
    j.writeStringField("metric", u.getMetric());
    j.writeStringField("kind", u.getKind());
    j.writeStringField("session_id", u.getSessionId());
    j.writeStringField("model", u.getModel());
    if (u.getUserId() == null) {
      j.writeNullField("user_id");
    } else {
      j.writeStringField("user_id", u.getUserId());
    }
    j.writeStringField("series_id", u.getSeriesId());
    j.writeBooleanField("cumulative", u.getCumulative());
    Rows.time(j, "start_time", u.getStartTime());
    Rows.time(j, "time", u.getTime());
    j.writeNumberField("value", u.getValue());
    Rows.time(j, "received_at", u.getReceivedAt());
  }
}
