package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** spendstream alerts tail against a real broker and registry; spendstream alerting --validate-config. */
@ExtendWith(RealInfraExtension.class)
class AlertsCommandIT {
  @TempDir Path dir;

  @Test
  void tailPrintsFilteredAlertsAsLinesOrJson(KafkaEndpoint kafka, RegistryEndpoint registry) throws Exception {
    String topic = "alerts.v1.tail-" + UUID.randomUUID().toString().substring(0, 8);
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(new TopicSpec(topic, 2, Duration.ofDays(3650))));
    AvroSerializer<Alert> ser = new AvroSerializer<>(new SchemaRegistryClient(RegistryClientConfig.of(registry.url())), false, true);
    Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minus(Duration.ofHours(1));
    String at = t0.toString().replace('T', ' '); // the line's time: RFC 3339 with a space, to the second
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        kafka.bootstrapServers()), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Alert a : List.of(alert("a1", "acme", AlertType.RETRY_STORM, Severity.WARNING, t0),
          alert("b1", "beta", AlertType.RETRY_STORM, Severity.CRITICAL, t0.plusSeconds(1)),
          alert("a2", "acme", AlertType.COST_ANOMALY, Severity.CRITICAL, t0.plusSeconds(2)))) {
        p.send(new ProducerRecord<>(topic, 0, a.getAlertId().getBytes(StandardCharsets.UTF_8), ser.serialize(topic, a))).get();
      }
    }
    String[] where = {"--kafka", kafka.bootstrapServers(), "--registry", registry.url(), "--topic", topic, "--from-beginning"};
    CliRun lines = new CliRun();
    assertThat(lines.run(concat(new String[] {"alerts", "tail", "--tenant", "acme", "--max", "2"}, where))).as(lines.err.toString())
        .isZero();
    assertThat(lines.err.toString()).contains("following " + topic + " on " + kafka.bootstrapServers() + " (2 partitions) from the beginning");
    assertThat(lines.out.toString().lines().toList()).satisfiesExactly(
        l -> assertThat(l).startsWith(at + "  WARNING  acme").contains("RETRY_STORM")
            .contains("prompt_hash=h-a1  6 calls vs threshold 5  cost $0.022500"),
        l -> assertThat(l).startsWith(t0.plusSeconds(2).toString().replace('T', ' ') + "  CRITICAL acme")
            .contains("COST_ANOMALY"));
    CliRun json = new CliRun();
    assertThat(json.run(concat(new String[] {"alerts", "tail", "--severity", "CRITICAL", "--type", "RETRY_STORM", "--json",
        "--max", "1"}, where))).isZero();
    assertThat(json.out.toString().strip()).startsWith("{\"alert_id\":\"b1\",\"type\":\"retry_storm\",\"severity\":\"critical\"");
  }

  @Test
  void validateConfigPrintsTheRoutesOrOneLineWithEveryProblem() throws Exception {
    Path ok = Files.writeString(dir.resolve("ok.yaml"), """
        destinations:
          log: {kind: log}
          chat: {kind: slack, url: "https://hooks.slack.com/services/T/B/SECRETPART"}
        routes:
          - {name: crit, match: {min_severity: critical}, to: [chat]}
        default: [log]
        """);
    CliRun good = new CliRun();
    assertThat(good.run("alerting", "--config", ok.toString(), "--validate-config")).isZero();
    assertThat(good.out.toString()).contains("route crit: tenants any, types any, severity >= CRITICAL -> [chat]")
        .contains("default -> [log]").doesNotContain("SECRETPART");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "destinations: {hook: {kind: webhook, url: \"http://x\"}}\n");
    CliRun wrong = new CliRun();
    assertThat(wrong.run("alerting", "--config", bad.toString(), "--validate-config")).isEqualTo(FriendlyErrors.USAGE_ERROR);
    assertThat(wrong.err.toString()).contains("destinations.hook.secret_env").contains("default: must name at least one");
  }

  private static Alert alert(String id, String tenant, AlertType type, Severity severity, Instant at) {
    return Alert.newBuilder().setAlertId(id).setType(type).setSeverity(severity).setStatus(AlertStatus.FIRING).setTenantId(tenant)
        .setDimension("prompt_hash").setDimensionValue("h-" + id).setDetectedAt(at).setObservedValue(6).setThreshold(5)
        .setObservedUnit("calls").setCostNanos(22_500_000).setMessage("6 calls with one prompt hash within 60 s").build();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
