package io.spendstream.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.json.LlmCallJson;
import io.spendstream.schemas.json.ParseOptions;
import io.spendstream.schemas.json.ParseResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Claude Code's OTLP log events (names and attributes as its monitoring documentation lists them) to calls. */
class ClaudeCodeMappingTest {
  private static final Instant AT = Instant.now().minus(Duration.ofMinutes(3)).truncatedTo(ChronoUnit.MILLIS);
  private static final OtlpSpans.Limits LIMITS = OtlpSpans.Limits.of(1_000);

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static KeyValue kv(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }

  private static KeyValue kv(String k, double v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setDoubleValue(v)).build();
  }

  /** A record as Claude Code exports it: the event name as body, common attributes, then the event's own. */
  private static LogRecord event(String name, long sequence, Instant at, KeyValue... attributes) {
    LogRecord.Builder r = LogRecord.newBuilder().setTimeUnixNano(at.getEpochSecond() * 1_000_000_000L + at.getNano())
        .setBody(AnyValue.newBuilder().setStringValue("claude_code." + name))
        .addAttributes(kv("event.name", name)).addAttributes(kv("event.timestamp", at.toString()))
        .addAttributes(kv("event.sequence", sequence)).addAttributes(kv("session.id", "5b1f0c8e-2a4d-4f3e-9a51-0c7d2e9b6a11"))
        .addAttributes(kv("user.account_uuid", "acc-42")).addAttributes(kv("user.id", "device-9"))
        .addAttributes(kv("organization.id", "org-7")).addAttributes(kv("terminal.type", "vscode"))
        .addAttributes(kv("prompt.id", "p-1"));
    for (KeyValue a : attributes) {
      r.addAttributes(a);
    }
    return r.build();
  }

  private static List<OtlpLogRecord> export(LogRecord... records) throws Exception {
    Resource resource = Resource.newBuilder().addAttributes(kv("service.name", "claude-code"))
        .addAttributes(kv("service.version", "2.1.3")).build();
    ExportLogsServiceRequest req = ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
        .setResource(resource).addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records)))).build();
    return OtlpLogs.fromProtobuf(req.toByteArray(), LIMITS);
  }

  private static LogRecord apiRequest(long sequence, Instant at) {
    return event("api_request", sequence, at, kv("model", "claude-sonnet-4-6"), kv("cost_usd", 0.0123456),
        kv("duration_ms", 2_345L), kv("input_tokens", 1_200L), kv("output_tokens", "340"), kv("cache_read_tokens", 8_000L),
        kv("cache_creation_tokens", 500L), kv("speed", "normal"));
  }

  private static ObjectNode mapped(OtlpLogRecord r) {
    GenAiMapping.Mapped m = ClaudeCodeMapping.map(r, ClaudeCodeMapping.kind(r));
    assertThat(m).as(m.toString()).isInstanceOf(GenAiMapping.Mapped.Event.class);
    return ((GenAiMapping.Mapped.Event) m).json();
  }

  private static LlmCall call(ObjectNode json) {
    ParseResult r = LlmCallJson.parse(json, new ParseOptions("acme", Clock.systemUTC(), ParseOptions.DEFAULT_MAX_PAST,
        ParseOptions.DEFAULT_MAX_FUTURE, ParseOptions.DEFAULT_MAX_TOKENS));
    assertThat(r).as(r.toString()).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid) r).call();
  }

  @Test
  void anApiRequestEventIsOneCallWithItsTokensAndClaudeCodesCostKeptApart() throws Exception {
    List<OtlpLogRecord> records = export(apiRequest(3, AT), event("user_prompt", 1, AT, kv("prompt_length", 42L)),
        event("tool_result", 4, AT, kv("tool_name", "Bash"), kv("success", "true")));
    assertThat(records).extracting(ClaudeCodeMapping::kind).containsExactly("api_request", "user_prompt", "tool_result");
    assertThat(records.stream().map(ClaudeCodeMapping::kind).filter(ClaudeCodeMapping::isCall)).hasSize(1);

    LlmCall c = call(mapped(records.getFirst()));
    assertThat(c.getEventId()).isEqualTo("cc-api_request-5b1f0c8e-2a4d-4f3e-9a51-0c7d2e9b6a11-3");
    assertThat(c.getTimestamp()).isEqualTo(AT);
    assertThat(c.getTenantId()).isEqualTo("acme"); // the API key's tenant
    assertThat(c.getProvider()).isEqualTo("anthropic");
    assertThat(c.getModel()).isEqualTo("claude-sonnet-4-6");
    assertThat(c.getRoute()).isEqualTo("claude-code");
    assertThat(c.getTaskId()).isEqualTo("5b1f0c8e-2a4d-4f3e-9a51-0c7d2e9b6a11");
    assertThat(c.getUserId()).isEqualTo("acc-42");
    // Claude Code reports the API's usage: input is uncached input, as in spendstream's contract
    assertThat(List.of(c.getInputTokens(), c.getOutputTokens(), c.getCacheReadInputTokens(), c.getCacheCreationInputTokens()))
        .containsExactly(1_200L, 340L, 8_000L, 500L);
    assertThat(c.getLatencyMs()).isEqualTo(2_345L);
    assertThat(c.getStatusCode()).isEqualTo(200);
    assertThat(c.getReportedCostNanos()).isEqualTo(12_345_600L);
    assertThat(c.getAttributes()).containsEntry("source", "claude_code").containsEntry("organization.id", "org-7")
        .containsEntry("terminal.type", "vscode").containsEntry("app.version", "2.1.3").containsEntry("speed", "normal")
        .doesNotContainKey("prompt.id");
  }

  @Test
  void anApiErrorIsAFailedCallWithoutTokens() throws Exception {
    List<OtlpLogRecord> records = export(
        event("api_error", 5, AT, kv("model", "claude-opus-4-6"), kv("error", "Rate limited"), kv("status_code", "429"),
            kv("duration_ms", 120L), kv("attempt", 2L)),
        event("api_error", 6, AT, kv("model", "claude-opus-4-6"), kv("error", "fetch failed"), kv("status_code", "undefined")));
    LlmCall limited = call(mapped(records.get(0)));
    assertThat(limited.getStatusCode()).isEqualTo(429);
    assertThat(limited.getErrorType()).isEqualTo("rate_limit_error");
    assertThat(limited.getInputTokens() + limited.getOutputTokens()).isZero();
    assertThat(limited.getReportedCostNanos()).isNull();
    assertThat(limited.getAttributes()).containsEntry("attempt", "2").containsEntry("error", "Rate limited");
    LlmCall network = call(mapped(records.get(1)));
    assertThat(network.getStatusCode()).isEqualTo(500); // no HTTP status: the request never got an answer
    assertThat(network.getErrorType()).isEqualTo("api_error");
  }

  @Test
  void aReExportOfTheSameEventHasTheSameEventIdAndAnotherEventAnother() throws Exception {
    assertThat(mapped(export(apiRequest(3, AT)).getFirst()).get("event_id"))
        .isEqualTo(mapped(export(apiRequest(3, AT)).getFirst()).get("event_id"));
    assertThat(mapped(export(apiRequest(3, AT)).getFirst()).get("event_id"))
        .isNotEqualTo(mapped(export(apiRequest(4, AT)).getFirst()).get("event_id"));
    // the API's request id is the best key when the event carries one
    LogRecord withRequestId = apiRequest(3, AT).toBuilder().addAttributes(kv("request_id", "req_011CXYZ")).build();
    assertThat(mapped(export(withRequestId).getFirst()).get("event_id").asText()).isEqualTo("cc-api_request-req_011CXYZ");
    // without session and sequence: a digest of time, name and attributes, stable across exports
    LogRecord bare = LogRecord.newBuilder().setTimeUnixNano(AT.toEpochMilli() * 1_000_000L)
        .setBody(AnyValue.newBuilder().setStringValue("claude_code.api_request")).addAttributes(kv("model", "claude-haiku-4-5"))
        .addAttributes(kv("input_tokens", 10L)).build();
    String id = mapped(export(bare).getFirst()).get("event_id").asText();
    assertThat(id).matches("cc-api_request-[0-9a-f]{32}").isEqualTo(mapped(export(bare).getFirst()).get("event_id").asText());
    LogRecord later = bare.toBuilder().setTimeUnixNano(bare.getTimeUnixNano() + 1_000_000).build();
    assertThat(mapped(export(later).getFirst()).get("event_id").asText()).isNotEqualTo(id);
  }

  @Test
  void theJsonEncodingGivesTheSameCallAsProtobuf() throws Exception {
    long nanos = AT.getEpochSecond() * 1_000_000_000L + AT.getNano();
    String json = """
        {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"claude-code"}},
          {"key":"service.version","value":{"stringValue":"2.1.3"}}]},
         "scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events"},"logRecords":[{"timeUnixNano":"%d",
          "body":{"stringValue":"claude_code.api_request"},"attributes":[
          {"key":"event.name","value":{"stringValue":"api_request"}},
          {"key":"event.timestamp","value":{"stringValue":"%s"}},
          {"key":"event.sequence","value":{"intValue":"3"}},
          {"key":"session.id","value":{"stringValue":"5b1f0c8e-2a4d-4f3e-9a51-0c7d2e9b6a11"}},
          {"key":"user.account_uuid","value":{"stringValue":"acc-42"}},{"key":"user.id","value":{"stringValue":"device-9"}},
          {"key":"organization.id","value":{"stringValue":"org-7"}},{"key":"terminal.type","value":{"stringValue":"vscode"}},
          {"key":"prompt.id","value":{"stringValue":"p-1"}},
          {"key":"model","value":{"stringValue":"claude-sonnet-4-6"}},{"key":"cost_usd","value":{"doubleValue":0.0123456}},
          {"key":"duration_ms","value":{"intValue":"2345"}},{"key":"input_tokens","value":{"intValue":"1200"}},
          {"key":"output_tokens","value":{"stringValue":"340"}},{"key":"cache_read_tokens","value":{"intValue":8000}},
          {"key":"cache_creation_tokens","value":{"intValue":"500"}},{"key":"speed","value":{"stringValue":"normal"}}]}]}]}]}
        """.formatted(nanos, AT);
    List<OtlpLogRecord> fromJson = OtlpLogs.fromJson(io.spendstream.schemas.json.Json.MAPPER.readTree(json), LIMITS);
    assertThat(call(mapped(fromJson.getFirst()))).isEqualTo(call(mapped(export(apiRequest(3, AT)).getFirst())));
  }

  @Test
  void genAiSemanticConventionLogsWithUsageMapLikeSpansAndOthersAreNotCalls() throws Exception {
    LogRecord genAi = LogRecord.newBuilder().setTimeUnixNano(AT.toEpochMilli() * 1_000_000L)
        .setEventName("gen_ai.client.inference.operation.details").addAttributes(kv("gen_ai.request.model", "claude-haiku-4-5"))
        .addAttributes(kv("gen_ai.usage.input_tokens", 900L)).addAttributes(kv("gen_ai.usage.cache_read.input_tokens", 600L))
        .addAttributes(kv("gen_ai.usage.output_tokens", 50L)).build();
    LogRecord plain = LogRecord.newBuilder().setTimeUnixNano(AT.toEpochMilli() * 1_000_000L)
        .setBody(AnyValue.newBuilder().setStringValue("GET /health 200")).build();
    List<OtlpLogRecord> records = OtlpLogs.fromProtobuf(ExportLogsServiceRequest.newBuilder().addResourceLogs(
        ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder().addLogRecords(genAi).addLogRecords(plain))).build()
        .toByteArray(), LIMITS);
    assertThat(records).extracting(ClaudeCodeMapping::kind).containsOnlyNulls();
    assertThat(records.get(0).hasGenAiUsage()).isTrue();
    assertThat(records.get(1).hasGenAiUsage()).isFalse();
    GenAiMapping.Mapped m = GenAiMapping.map(records.get(0).asSpan());
    LlmCall c = call(((GenAiMapping.Mapped.Event) m).json());
    assertThat(c.getInputTokens()).isEqualTo(300); // OTel counts cache reads inside input tokens; converted once
    assertThat(c.getCacheReadInputTokens()).isEqualTo(600);
    assertThat(c.getEventId()).isEqualTo("log-" + records.get(0).digest());
  }

  @Test
  void claudeCodesCostIsConvertedToNanoUsdExactlyOrNotAtAll() {
    assertThat(ClaudeCodeMapping.nanos(0.0123456)).isEqualTo(12_345_600L);
    assertThat(ClaudeCodeMapping.nanos(0.1)).isEqualTo(100_000_000L); // the double's shortest decimal form, not 0.1000000000000000055
    assertThat(ClaudeCodeMapping.nanos("1.0000000005")).isEqualTo(1_000_000_001L); // half up
    assertThat(ClaudeCodeMapping.nanos(3L)).isEqualTo(3_000_000_000L);
    assertThat(ClaudeCodeMapping.nanos(-0.5)).isNull();
    assertThat(ClaudeCodeMapping.nanos("lots")).isNull();
    assertThat(ClaudeCodeMapping.nanos(Double.NaN)).isNull();
  }
}
