package io.spendstream.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.CallLimits;
import io.spendstream.schemas.PromptHash;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.ServiceTier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LlmCallJsonTest {
  private static final String FLAT = """
      {"event_id": "evt-1", "timestamp": "2026-11-23T10:15:30.123Z", "tenant_id": "acme",
       "provider": "anthropic", "model": "claude-sonnet-4-6-20260315", "route": "/v1/chat",
       "feature": "summarize", "user_id": "u-7", "task_id": "t-1", "parent_task_id": "t-0",
       "prompt_hash": "0123456789abcdef", "input_tokens": 1200, "output_tokens": 350,
       "cache_read_input_tokens": 8000, "cache_creation_input_tokens": 500,
       "cache_creation_5m_input_tokens": 200, "cache_creation_1h_input_tokens": 300,
       "service_tier": "batch", "latency_ms": 2300, "ttft_ms": 400, "stop_reason": "end_turn",
       "status_code": 200, "request_id": "req_011", "attributes": {"env": "prod", "region": "eu"}}
      """;

  private static LlmCall valid(String json, ParseOptions o) {
    ParseResult r = LlmCallJson.parse(json, o);
    assertThat(r).as(r.toString()).isInstanceOf(ParseResult.Valid.class);
    return ((ParseResult.Valid) r).call();
  }

  private static List<FieldError> invalid(String json, ParseOptions o) {
    ParseResult r = LlmCallJson.parse(json, o);
    assertThat(r).isInstanceOf(ParseResult.Invalid.class);
    return ((ParseResult.Invalid) r).errors();
  }

  private static List<FieldError> invalid(String json) {
    return invalid(json, ParseOptions.offline());
  }

  /** {@link #minimal} at {@code now} instead of its fixed time, for checks against a live clock. */
  private static String nowCall(Instant now, String extra) {
    return minimal(extra).replace("1795428930123", Long.toString(now.toEpochMilli()));
  }

  private static String minimal(String extra) {
    return """
        {"event_id": "e", "timestamp": 1795428930123, "tenant_id": "acme", "model": "claude-haiku-4-5",
         "route": "/r", "latency_ms": 10, "status_code": 200 %s}""".formatted(extra);
  }

  @Test
  void flatFormMapsEveryField() {
    LlmCall c = valid(FLAT, ParseOptions.offline());
    assertThat(c.getEventId()).isEqualTo("evt-1");
    assertThat(c.getTimestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123Z"));
    assertThat(c.getTenantId()).isEqualTo("acme");
    assertThat(c.getModel()).isEqualTo("claude-sonnet-4-6-20260315");
    assertThat(c.getRoute()).isEqualTo("/v1/chat");
    assertThat(c.getFeature()).isEqualTo("summarize");
    assertThat(c.getParentTaskId()).isEqualTo("t-0");
    assertThat(c.getPromptHash()).isEqualTo("0123456789abcdef");
    assertThat(c.getInputTokens()).isEqualTo(1200);
    assertThat(c.getOutputTokens()).isEqualTo(350);
    assertThat(c.getCacheReadInputTokens()).isEqualTo(8000);
    assertThat(c.getCacheCreationInputTokens()).isEqualTo(500);
    assertThat(c.getCacheCreation5mInputTokens()).isEqualTo(200);
    assertThat(c.getCacheCreation1hInputTokens()).isEqualTo(300);
    assertThat(c.getServiceTier()).isEqualTo(ServiceTier.BATCH);
    assertThat(c.getLatencyMs()).isEqualTo(2300);
    assertThat(c.getTtftMs()).isEqualTo(400);
    assertThat(c.getStatusCode()).isEqualTo(200);
    assertThat(c.getAttributes()).containsEntry("env", "prod").containsEntry("region", "eu");
  }

  @Test
  void anthropicUsageObjectIsReadExactlyAsTheApiReturnsIt() {
    String json = minimal("""
        , "usage": {"input_tokens": 2095, "cache_creation_input_tokens": 2051, "cache_read_input_tokens": 0,
                    "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 2051},
                    "output_tokens": 503, "service_tier": "standard", "server_tool_use": {"web_search_requests": 0}}
        """);
    LlmCall c = valid(json, ParseOptions.offline());
    assertThat(c.getInputTokens()).isEqualTo(2095);
    assertThat(c.getOutputTokens()).isEqualTo(503);
    assertThat(c.getCacheCreationInputTokens()).isEqualTo(2051);
    assertThat(c.getCacheCreation5mInputTokens()).isZero();
    assertThat(c.getCacheCreation1hInputTokens()).isEqualTo(2051);
    assertThat(c.getServiceTier()).isEqualTo(ServiceTier.STANDARD);
    assertThat(c.getProvider()).isEqualTo("anthropic");
  }

  @Test
  void rawPromptIsHashedAndDropped() {
    String secret = "my secret prompt: the launch code is 0000";
    LlmCall c = valid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1, \"prompt\": \"" + secret + "\""),
        ParseOptions.offline());
    assertThat(c.getPromptHash()).isEqualTo(PromptHash.of(secret)).matches("[0-9a-f]{16}");
    assertThat(c.toString()).doesNotContain("secret").doesNotContain("launch");
    assertThat(LlmCallJson.toJson(c).toString()).doesNotContain("secret");
  }

  @Test
  void promptHashIsTheFirstEightBytesOfSha256() {
    // sha256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
    assertThat(PromptHash.of("hello")).isEqualTo("2cf24dba5fb0a30e");
  }

  @Test
  void mismatchedPromptAndHashIsRejectedWithoutQuotingThePrompt() {
    List<FieldError> errors = invalid(minimal(
        ", \"input_tokens\": 1, \"output_tokens\": 1, \"prompt\": \"tell me a secret\", \"prompt_hash\": \"0000000000000000\""));
    assertThat(errors).extracting(FieldError::field).containsExactly("prompt_hash");
    assertThat(errors.toString()).doesNotContain("secret");
  }

  @Test
  void timestampAcceptsRfc3339WithOffsetAndEpochMillis() {
    LlmCall a = valid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1").replace("1795428930123",
        "\"2026-11-23T11:15:30.123+01:00\""), ParseOptions.offline());
    LlmCall b = valid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1"), ParseOptions.offline());
    assertThat(a.getTimestamp()).isEqualTo(Instant.parse("2026-11-23T10:15:30.123Z"));
    assertThat(b.getTimestamp()).isEqualTo(Instant.ofEpochMilli(1795428930123L));
  }

  @Test
  void epochSecondsAndZonelessTimesAreRejectedWithAHint() {
    assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1").replace("1795428930123", "1795428930")))
        .singleElement().satisfies(e -> assertThat(e.error()).contains("epoch seconds"));
    assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1").replace("1795428930123",
        "\"2026-11-23T10:15:30\""))).singleElement().satisfies(e -> assertThat(e.error()).contains("zone offset"));
  }

  @Test
  void everyMissingRequiredFieldIsReportedAtOnce() {
    assertThat(invalid("{}")).extracting(FieldError::field).containsExactlyInAnyOrder("event_id", "timestamp",
        "tenant_id", "model", "route", "input_tokens", "output_tokens", "latency_ms", "status_code");
  }

  @Test
  void tenantDefaultsToTheKeysTenantWhenAbsent() {
    String noTenant = minimal(", \"input_tokens\": 1, \"output_tokens\": 1").replace("\"tenant_id\": \"acme\",", "");
    assertThat(valid(noTenant, ParseOptions.offline().withDefaultTenant("from-key")).getTenantId()).isEqualTo("from-key");
    assertThat(invalid(noTenant)).extracting(FieldError::field).containsExactly("tenant_id");
  }

  @Test
  void wrongTypesAndRangesSayWhichFieldAndWhy() {
    List<FieldError> errors = invalid(minimal(
        ", \"input_tokens\": \"12\", \"output_tokens\": -1, \"cache_read_input_tokens\": 1.5,"
            + " \"service_tier\": \"gold\", \"ttft_ms\": 1e400, \"attributes\": {\"k\": 1}").replace("200", "700"));
    assertThat(errors).extracting(FieldError::field).containsExactlyInAnyOrder("input_tokens", "output_tokens",
        "cache_read_input_tokens", "service_tier", "ttft_ms", "attributes.k", "status_code");
    assertThat(errors).filteredOn(e -> e.field().equals("input_tokens")).singleElement()
        .satisfies(e -> assertThat(e.error()).isEqualTo("must be an integer, got a string"));
    assertThat(errors).filteredOn(e -> e.field().equals("status_code")).singleElement()
        .satisfies(e -> assertThat(e.error()).contains("100..599"));
  }

  @Test
  void hugeNumbersAreRejectedNotWrapped() {
    assertThat(invalid(minimal(", \"input_tokens\": 99999999999999999999999, \"output_tokens\": 1")))
        .extracting(FieldError::field).containsExactly("input_tokens");
    assertThat(invalid(minimal(", \"input_tokens\": 100000001, \"output_tokens\": 1")))
        .extracting(FieldError::field).containsExactly("input_tokens");
  }

  @Test
  void tokenCountsPastThePlausibilityLimitAreRejectedNamingTheField() {
    assertThat(CallLimits.MAX_TOKENS_PER_COUNT).isEqualTo(10_000_000L);
    assertThat(valid(minimal(", \"usage\": {\"input_tokens\": 10000000, \"output_tokens\": 10000000,"
        + " \"cache_read_input_tokens\": 10000000, \"cache_creation_input_tokens\": 10000000}"), ParseOptions.offline())
        .getCacheCreationInputTokens()).isEqualTo(10_000_000L);
    assertThat(invalid(minimal(", \"usage\": {\"input_tokens\": 1, \"output_tokens\": 10000001}")))
        .extracting(FieldError::field).containsExactly("usage.output_tokens");
    assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1, \"cache_read_input_tokens\": 10000001")))
        .extracting(FieldError::field).containsExactly("cache_read_input_tokens");
  }

  @Test
  void conflictingFlatAndUsageCountsAreRejected() {
    assertThat(invalid(minimal(", \"input_tokens\": 10, \"output_tokens\": 1, \"usage\": {\"input_tokens\": 12}")))
        .singleElement().satisfies(e -> assertThat(e.error()).contains("top level 10, usage 12"));
    // equal values in both places are fine
    assertThat(valid(minimal(", \"input_tokens\": 10, \"output_tokens\": 1, \"usage\": {\"input_tokens\": 10}"),
        ParseOptions.offline()).getInputTokens()).isEqualTo(10);
  }

  @Test
  void cacheSplitMustAddUpToTheTotal() {
    assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1, \"cache_creation_input_tokens\": 10,"
        + " \"cache_creation\": {\"ephemeral_5m_input_tokens\": 4, \"ephemeral_1h_input_tokens\": 7}")))
        .extracting(FieldError::field).containsExactly("cache_creation_input_tokens");
    LlmCall onlyOneSide = valid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1, \"cache_creation_input_tokens\": 10,"
        + " \"cache_creation_1h_input_tokens\": 7"), ParseOptions.offline());
    assertThat(onlyOneSide.getCacheCreation5mInputTokens()).isEqualTo(3);
    LlmCall noTotal = valid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1,"
        + " \"usage\": {\"cache_creation\": {\"ephemeral_5m_input_tokens\": 4, \"ephemeral_1h_input_tokens\": 7}}"),
        ParseOptions.offline());
    assertThat(noTotal.getCacheCreationInputTokens()).isEqualTo(11);
  }

  @Test
  void unknownFieldsAreRejectedWithASuggestion() {
    assertThat(invalid(minimal(", \"input_token\": 1, \"output_tokens\": 1")))
        .anySatisfy(e -> {
          assertThat(e.field()).isEqualTo("input_token");
          assertThat(e.error()).contains("did you mean 'input_tokens'");
        });
    assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1, \"team\": \"x\"")))
        .singleElement().satisfies(e -> assertThat(e.error()).contains("attributes"));
  }

  @Test
  void controlCharactersAndBadIdsAreRejected() {
    assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1").replace("\"/r\"", "\"/r\\u0000x\"")))
        .extracting(FieldError::field).containsExactly("route");
    assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1").replace("\"acme\"", "\"../etc\"")))
        .extracting(FieldError::field).containsExactly("tenant_id");
    assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1").replace("\"e\"", "\"has space\"")))
        .extracting(FieldError::field).containsExactly("event_id");
    assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1").replace("\"/r\"", "\"\\ud800\"")))
        .extracting(FieldError::field).containsExactly("route");
  }

  @Test
  void nonObjectsAndMalformedJsonAreRejected() {
    assertThat(invalid("[1,2]")).singleElement().satisfies(e -> assertThat(e.error()).contains("JSON object"));
    assertThat(invalid("{\"event_id\": ")).singleElement().satisfies(e -> assertThat(e.error()).contains("malformed JSON"));
    assertThat(invalid("{\"a\":1} {\"b\":2}")).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("$"));
    assertThat(invalid("{\"event_id\":\"a\",\"event_id\":\"b\"}")).singleElement()
        .satisfies(e -> assertThat(e.error()).contains("Duplicate field"));
    assertThat(invalid("[".repeat(5000))).singleElement().satisfies(e -> assertThat(e.error()).contains("malformed JSON"));
  }

  @Test
  void liveIngestRefusesEventsOutsideTheTimeWindow() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    String ok = minimal(", \"input_tokens\": 1, \"output_tokens\": 1");
    assertThat(valid(ok.replace("1795428930123", "\"2026-11-16T10:00:00.001Z\""), ParseOptions.live(clock))).isNotNull();
    assertThat(invalid(ok.replace("1795428930123", "\"2026-11-16T09:59:59Z\""), ParseOptions.live(clock)))
        .singleElement().satisfies(e -> assertThat(e.error()).contains("7 days in the past"));
    assertThat(invalid(ok.replace("1795428930123", "\"2026-11-23T10:05:01Z\""), ParseOptions.live(clock)))
        .singleElement().satisfies(e -> assertThat(e.error()).contains("future"));
  }

  @Test
  void ttftMayNotExceedLatency() {
    assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1, \"ttft_ms\": 11")))
        .extracting(FieldError::field).containsExactly("ttft_ms");
  }

  @Test
  void jsonFormRoundTripsToAnEqualCall() {
    LlmCall c = valid(FLAT, ParseOptions.offline());
    String json = LlmCallJson.toJson(c).toString();
    assertThat(json).contains("\"timestamp\":\"2026-11-23T10:15:30.123Z\"").contains("\"service_tier\":\"batch\"");
    assertThat(valid(json, ParseOptions.offline())).isEqualTo(c);
    // and the output is deterministic byte for byte
    assertThat(LlmCallJson.toJson(valid(json, ParseOptions.offline())).toString()).isEqualTo(json);
  }
  @Test
  void receivedAtIsBoundedLikeTheTimestampAndTimesNoStoreHoldsAreRefused() {
    Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    ParseOptions gateway = ParseOptions.live(Clock.fixed(now, ZoneOffset.UTC));
    assertThat(invalid(nowCall(now, ", \"input_tokens\": 1, \"output_tokens\": 1, \"received_at\": \"+10000-01-01T00:00:00Z\""),
        gateway)).extracting(FieldError::field).containsExactly("received_at");
    assertThat(invalid(nowCall(now, ", \"input_tokens\": 1, \"output_tokens\": 1, \"received_at\": \"+999999999-12-31T23:59:59Z\""),
        ParseOptions.offline())).extracting(FieldError::field).containsExactly("received_at");
    assertThat(invalid(nowCall(now, ", \"input_tokens\": 1, \"output_tokens\": 1, \"received_at\": \""
        + now.plus(java.time.Duration.ofHours(2)) + "\""), gateway)).extracting(FieldError::field).containsExactly("received_at");
    assertThat(invalid("""
        {"event_id": "e", "timestamp": "2500-01-01T00:00:00Z", "tenant_id": "acme", "model": "claude-haiku-4-5",
         "route": "/r", "latency_ms": 10, "status_code": 200, "input_tokens": 1, "output_tokens": 1}""", ParseOptions.offline()))
        .extracting(FieldError::field).containsExactly("timestamp");
  }

  @Test
  void formatCharactersSuchAsBidiOverridesAreRefusedInEveryText() {
    for (String bad : List.of("/v1/\u202Etxt.exe", "/v1/zero\u200Bwidth", "/v1/c1\u0085control", "/v1/tag\uDB40\uDC01")) {
      assertThat(invalid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1").replace("\"/r\"", "\"" + bad + "\"")))
          .as(bad).extracting(FieldError::field).containsExactly("route");
    }
    assertThat(valid(minimal(", \"input_tokens\": 1, \"output_tokens\": 1").replace("\"/r\"", "\"/v1/ünïcødé ✓ 𝄞\""),
        ParseOptions.offline()).getRoute()).isEqualTo("/v1/ünïcødé ✓ 𝄞");
  }
}
