package io.spendstream.alerting;

import io.spendstream.schemas.AvroTrust;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import java.time.Instant;
import java.util.Map;

/** Alerts as the detectors write them, for tests. */
public final class TestAlerts {
  public static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  static {
    AvroTrust.ensure();
  }

  private TestAlerts() {}

  public static Alert storm(String id, String tenant, String hash, Instant at) {
    return Alert.newBuilder().setAlertId(id).setType(AlertType.RETRY_STORM).setSeverity(Severity.WARNING)
        .setStatus(AlertStatus.FIRING).setTenantId(tenant).setDimension("prompt_hash").setDimensionValue(hash)
        .setRoute("/v1/chat").setModel("claude-sonnet-4-5").setDetectedAt(at).setObservedValue(6).setThreshold(5)
        .setObservedUnit("calls").setCostNanos(22_500_000).setMessage("6 calls with one prompt hash within 60 s")
        .setEvidence(Map.of("share_zero_output", "0.83", "error_types", "overloaded_error")).build();
  }

  public static Alert anomaly(String id, String tenant, String route, Severity severity, Instant at) {
    return Alert.newBuilder().setAlertId(id).setType(AlertType.COST_ANOMALY).setSeverity(severity)
        .setStatus(AlertStatus.FIRING).setTenantId(tenant).setDimension("route").setDimensionValue(route).setRoute(route)
        .setDetectedAt(at).setWindowStart(at.minusSeconds(300)).setWindowEnd(at).setObservedValue(20_000_000_000L)
        .setThreshold(2_700_000_000L).setBaseline(2_100_000_000L).setObservedUnit("nano_usd").setZScore(8.25)
        .setCostNanos(20_000_000_000L).setMessage("cost of route " + route + " $20.00 in 5 min vs mean $2.10")
        .setEvidence(Map.of()).build();
  }

  public static Alert resolved(Alert a) {
    return Alert.newBuilder(a).setStatus(AlertStatus.RESOLVED).build();
  }
}
