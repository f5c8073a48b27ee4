package io.spendstream.tools.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.AvroTrust;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveViewTest {
  @Test
  void oneScreenWithRatesLagSpendAlertsAndWhatToTryNext() {
    AvroTrust.ensure();
    Map<String, Long> spend = new LinkedHashMap<>();
    spend.put("globex", 12_500_000_000L);
    spend.put("acme", 1_250_000_000L);
    Alert storm = Alert.newBuilder().setAlertId("x").setType(AlertType.RETRY_STORM).setSeverity(Severity.WARNING)
        .setStatus(AlertStatus.FIRING).setTenantId("acme").setDimension("prompt_hash").setDimensionValue("3f9a")
        .setDetectedAt(Instant.parse("2026-11-23T12:04:00Z")).setObservedValue(6).setThreshold(5).setObservedUnit("calls")
        .setCostNanos(90_000_000).setMessage("6 calls").build();
    String screen = LiveView.render(new LiveView.Snapshot(125, 19.6, 2_450, 0, "", 12, -1, spend, List.of(storm),
        List.of("./spendstream alerts tail")));
    assertThat(screen).contains("2:05 running   events in 19.6/s   acknowledged 2,450")
        .contains("lag: stream processor 12, sink ?")
        .contains("  globex                   $12.50  ##############################\n")
        .contains("  acme                      $1.25  ###\n")
        .contains("RETRY_STORM    prompt_hash=3f9a  6 calls vs threshold 5")
        .contains("  ./spendstream alerts tail");
    assertThat(LiveView.render(new LiveView.Snapshot(1, 0, 0, 3, "HTTP 503", -1, -1, null, List.of(), List.of())))
        .contains("gateway retries 3 (HTTP 503)").contains("(ClickHouse not answering yet)").contains("(none yet");
  }
}
