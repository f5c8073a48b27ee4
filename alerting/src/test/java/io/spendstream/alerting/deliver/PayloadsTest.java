package io.spendstream.alerting.deliver;

import static io.spendstream.alerting.TestAlerts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spendstream.alerting.AlertText;
import io.spendstream.alerting.TestAlerts;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.Severity;
import org.junit.jupiter.api.Test;

class PayloadsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Alert spike = TestAlerts.anomaly("f1", "acme", "/v1/chat", Severity.CRITICAL, T0);

  @Test
  void webhookCarriesFingerprintIdempotencyKeyExactCostAndTheAlert() throws Exception {
    JsonNode j = JSON.readTree(Payloads.webhook(new Notification(spike, "hook", 3), T0.plusSeconds(5)));
    assertThat(j.get("spec").asText()).isEqualTo("spendstream.alert.v1");
    assertThat(j.get("idempotency_key").asText()).isEqualTo("f1:firing");
    assertThat(j.get("fingerprint").asText()).isEqualTo("f1");
    assertThat(j.get("group").asText()).isEqualTo("COST_ANOMALY|acme|route=/v1/chat");
    assertThat(j.get("suppressed_repeats").asLong()).isEqualTo(3);
    assertThat(j.get("cost_usd").asText()).isEqualTo("20.000000000");
    assertThat(j.get("sent_at").asText()).isEqualTo("2026-11-23T10:00:05.000Z");
    assertThat(j.at("/alert/cost_nanos").asLong()).isEqualTo(20_000_000_000L);
    assertThat(j.at("/alert/type").asText()).isEqualTo("cost_anomaly");
  }

  @Test
  void pagerDutyTriggerHasDedupKeySeverityAndDetails() throws Exception {
    JsonNode j = JSON.readTree(Payloads.pagerDuty(new Notification(spike, "pd", 0), "RKEY"));
    assertThat(j.get("routing_key").asText()).isEqualTo("RKEY");
    assertThat(j.get("event_action").asText()).isEqualTo("trigger");
    assertThat(j.get("dedup_key").asText()).isEqualTo("f1");
    assertThat(j.at("/payload/severity").asText()).isEqualTo("critical");
    assertThat(j.at("/payload/source").asText()).isEqualTo("spendstream");
    assertThat(j.at("/payload/summary").asText()).startsWith("[spendstream] COST_ANOMALY acme: cost of route");
    assertThat(j.at("/payload/custom_details/cost_usd").asText()).isEqualTo("20.000000000");
    JsonNode resolve = JSON.readTree(Payloads.pagerDuty(new Notification(TestAlerts.resolved(spike), "pd", 0), "RKEY"));
    assertThat(resolve.get("event_action").asText()).isEqualTo("resolve");
    assertThat(resolve.get("dedup_key").asText()).isEqualTo("f1");
    assertThat(resolve.has("payload")).isFalse();
    assertThat(Payloads.pagerDutySeverity(Severity.WARNING)).isEqualTo("warning");
    assertThat(Payloads.pagerDutySeverity(Severity.INFO)).isEqualTo("info");
  }

  @Test
  void slackMessageShowsTheKeyNumbersAndEscapesControlCharacters() throws Exception {
    Alert hostile = Alert.newBuilder(spike).setDimensionValue("/a<b>&c").build();
    JsonNode j = JSON.readTree(Payloads.slack(new Notification(hostile, "slack", 2)));
    assertThat(j.get("text").asText()).contains("CRITICAL COST_ANOMALY · tenant acme");
    String fields = j.at("/blocks/1/fields").toString();
    assertThat(fields).contains("$20.00 vs baseline $2.10 (threshold $2.70), z=8.3").contains("/a&lt;b&gt;&amp;c")
        .contains("2 repeat(s)");
    assertThat(j.at("/blocks/2/elements/0/text").asText()).contains("f1");
  }

  @Test
  void tenantChosenTextCannotPingEveryoneDisguiseALinkOrBreakOutOfCodeInSlack() throws Exception {
    Alert hostile = Alert.newBuilder(spike).setDimensionValue("/v1/`*bold* <!channel>").setRoute("<https://evil.example|https://bank>")
        .setMessage("spend on <!here> <https://evil.example|your invoice>").setAlertId("id<!channel>").build();
    String slack = new String(Payloads.slack(new Notification(hostile, "slack", 0)), java.nio.charset.StandardCharsets.UTF_8);
    JsonNode j = JSON.readTree(slack);
    for (JsonNode text : j.findValues("text")) {
      if (text.isTextual()) {
        assertThat(text.asText()).as(text.asText()).doesNotContain("<!").doesNotContain("<http");
      }
    }
    assertThat(j.at("/blocks/1/fields").toString()).contains("`/v1/'*bold* &lt;!channel&gt;`")
        .contains("&lt;https://evil.example|https://bank&gt;");
  }

  @Test
  void terminalLineReadsLikeASentence() {
    assertThat(AlertText.line(TestAlerts.storm("s1", "acme", "3f9a", T0))).isEqualTo(
        "2026-11-23 10:00:00Z  WARNING  acme             RETRY_STORM    prompt_hash=3f9a  6 calls vs threshold 5  cost $0.022500"
            + "  6 calls with one prompt hash within 60 s");
  }
}
