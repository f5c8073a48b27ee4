package io.spendstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.testkit.KafkaEndpoint;
import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.ingest.GatewayConfig;
import io.spendstream.ingest.IngestGateway;
import io.spendstream.ingest.auth.KeysFileEditor;
import io.spendstream.schemas.Topics;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spendstream import claude-code DIR} against a real gateway and Kafka, on transcript files written here in the
 * format Claude Code keeps them (one line per content block, the response's usage repeated on each, subagents in their
 * own file): one call per API response, old calls reported, and a second import adds nothing.
 */
@ExtendWith(RealInfraExtension.class)
class ImportClaudeCodeIT {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  @TempDir Path dir;

  private static String assistant(String session, String requestId, String messageId, String model, Instant at, String usage,
      String extra) {
    return "{\"parentUuid\":\"u0\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/dev/app\",\"sessionId\":\""
        + session + "\",\"version\":\"2.1.3\",\"gitBranch\":\"main\",\"type\":\"assistant\",\"uuid\":\"" + UUID.randomUUID()
        + "\",\"timestamp\":\"" + at + "\"" + (requestId == null ? "" : ",\"requestId\":\"" + requestId + "\"") + extra
        + ",\"message\":{\"id\":\"" + messageId + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model
        + "\",\"content\":[{\"type\":\"text\",\"text\":\"...\"}],\"stop_reason\":\"tool_use\",\"usage\":" + usage + "}}";
  }

  private void transcripts() throws Exception {
    Path project = dir.resolve("projects").resolve("-home-dev-app");
    Files.createDirectories(project.resolve("s1").resolve("subagents"));
    String usage1 = "{\"input_tokens\":12,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":20000,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":3000,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":%d,"
        + "\"service_tier\":\"standard\",\"server_tool_use\":{\"web_search_requests\":0}}";
    Files.write(project.resolve("s1.jsonl"), List.of(
        "{\"type\":\"user\",\"sessionId\":\"s1\",\"timestamp\":\"" + NOW.minusSeconds(70) + "\",\"message\":{\"role\":\"user\",\"content\":\"fix the build\"}}",
        // one response in two lines (text, then tool use): the earlier line streamed fewer output tokens
        assistant("s1", "req_011A", "msg_01A", "claude-sonnet-4-6", NOW.minusSeconds(60), usage1.formatted(10), ""),
        assistant("s1", "req_011A", "msg_01A", "claude-sonnet-4-6", NOW.minusSeconds(60), usage1.formatted(57), ""),
        assistant("s1", "req_011B", "msg_01B", "claude-haiku-4-5", NOW.minusSeconds(50),
            "{\"input_tokens\":400,\"cache_creation_input_tokens\":1000,\"cache_read_input_tokens\":0,\"cache_creation\":"
                + "{\"ephemeral_5m_input_tokens\":600,\"ephemeral_1h_input_tokens\":400},\"output_tokens\":80}", ""),
        assistant("s1", null, "msg_synthetic", "<synthetic>", NOW.minusSeconds(40),
            "{\"input_tokens\":0,\"output_tokens\":0}", ""),
        assistant("s1", "req_011OLD", "msg_01OLD", "claude-sonnet-4-6", NOW.minus(Duration.ofDays(10)),
            "{\"input_tokens\":5,\"output_tokens\":5}", ""),
        "not json {"), StandardCharsets.UTF_8);
    Files.write(project.resolve("s1").resolve("subagents").resolve("agent-a1.jsonl"), List.of(
        assistant("s1", "req_011C", "msg_01C", "claude-haiku-4-5", NOW.minusSeconds(45),
            "{\"input_tokens\":900,\"cache_read_input_tokens\":100,\"output_tokens\":30}", ",\"agentId\":\"a1\"")
            .replace("\"isSidechain\":false", "\"isSidechain\":true")), StandardCharsets.UTF_8);
  }

  private int gatewayPort;

  private record CliOutcome(int code, String output) {}

  private CliOutcome run(String key) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("spendstream.jar"), "import", "claude-code",
        dir.resolve("projects").toString(), "--gateway", "http://127.0.0.1:" + gatewayPort).redirectErrorStream(true);
    pb.environment().put("SPENDSTREAM_KEY", key);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new CliOutcome(p.exitValue(), output);
  }

  @Test
  void oneCallPerApiResponseOldOnesReportedAndASecondImportAddsNothing(KafkaEndpoint kafka, RegistryEndpoint registry)
      throws Exception {
    transcripts();
    String topic = "import-it-" + UUID.randomUUID();
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(new TopicSpec(topic, 3, Duration.ofDays(30))));
    Path keys = dir.resolve("keys.yaml");
    String key = KeysFileEditor.addKey(keys, "acme");
    GatewayConfig d = GatewayConfig.defaults(0, keys, kafka.bootstrapServers(), registry.url());
    try (IngestGateway gateway = IngestGateway.start(d.toBuilder().topic(topic).build())) {
      gatewayPort = gateway.port();
      CliOutcome first = run(key);
      assertThat(first.code()).as(first.output()).isZero();
      assertThat(first.output()).contains("read 8 lines in 2 files: 6 API responses, 3 distinct calls to send")
          .contains("sent 3: 3 accepted, 0 already there (duplicates), 0 rejected")
          .contains("not sent: 1 calls older than 7 days")
          .contains("skipped: 1 synthetic responses (Claude Code's own error turns, no API call), 0 without a request or"
              + " message id, 1 unreadable lines");

      List<LlmCall> calls = calls(kafka.bootstrapServers(), registry.url(), topic, 3);
      assertThat(calls).extracting(LlmCall::getEventId).containsExactlyInAnyOrder("cc-api_request-req_011A",
          "cc-api_request-req_011B", "cc-api_request-req_011C");
      LlmCall a = calls.stream().filter(c -> c.getEventId().endsWith("A")).findFirst().orElseThrow();
      assertThat(List.of(a.getInputTokens(), a.getOutputTokens(), a.getCacheReadInputTokens(), a.getCacheCreationInputTokens()))
          .containsExactly(12L, 57L, 20_000L, 3_000L); // the response's final usage, once
      assertThat(a.getTenantId()).isEqualTo("acme");
      assertThat(a.getTaskId()).isEqualTo("s1");
      assertThat(a.getRoute()).isEqualTo("claude-code");
      assertThat(a.getRequestId()).isEqualTo("req_011A");
      assertThat(a.getAttributes()).containsEntry("source", "claude_code_transcript").containsEntry("app.version", "2.1.3");
      LlmCall b = calls.stream().filter(c -> c.getEventId().endsWith("B")).findFirst().orElseThrow();
      assertThat(b.getCacheCreation5mInputTokens()).isEqualTo(600);
      assertThat(b.getCacheCreation1hInputTokens()).isEqualTo(400);
      LlmCall sub = calls.stream().filter(c -> c.getEventId().endsWith("C")).findFirst().orElseThrow();
      assertThat(sub.getTaskId()).isEqualTo("s1:a1");
      assertThat(sub.getParentTaskId()).isEqualTo("s1");

      CliOutcome again = run(key);
      assertThat(again.code()).as(again.output()).isZero();
      assertThat(again.output()).contains("sent 3: 0 accepted, 3 already there (duplicates), 0 rejected");
      assertThat(calls(kafka.bootstrapServers(), registry.url(), topic, 3)).hasSize(3);

      CliOutcome stranger = run("not-a-key");
      assertThat(stranger.code()).isEqualTo(1);
      assertThat(stranger.output()).contains("the gateway answered 401");
    }
  }

  /** The calls on the topic (ticks left out), read until {@code expected} arrived and a little longer. */
  private static List<LlmCall> calls(String bootstrap, String registry, String topic, int expected) {
    AvroDeserializer<LlmCall> de = new AvroDeserializer<>(new SchemaRegistryClient(RegistryClientConfig.of(registry)), LlmCall.class);
    List<LlmCall> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline && out.size() < expected) {
        c.poll(Duration.ofMillis(300)).forEach(r -> {
          if (r.headers().lastHeader(Topics.TICK_HEADER) == null) {
            out.add(de.deserialize(topic, r.value()));
          }
        });
      }
      c.poll(Duration.ofSeconds(1)).forEach(r -> { // anything beyond the expected count would be a second copy
        if (r.headers().lastHeader(Topics.TICK_HEADER) == null) {
          out.add(de.deserialize(topic, r.value()));
        }
      });
    }
    return out;
  }
}
