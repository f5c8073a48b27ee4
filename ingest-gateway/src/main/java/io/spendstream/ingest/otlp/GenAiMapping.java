package io.spendstream.ingest.otlp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.schemas.json.AvroJson;
import io.spendstream.schemas.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * OpenTelemetry GenAI semantic conventions to the LlmCall JSON form. OTel counts cache tokens INSIDE
 * {@code gen_ai.usage.input_tokens}; Anthropic (and spendstream) do not, so input is converted exactly
 * once: input - cache read - cache creation, and a negative result is an error, never clamped.
 *
 * <ul>
 *   <li>event_id = trace id + "-" + span id; timestamp = span start; latency_ms = end - start</li>
 *   <li>model = gen_ai.response.model, else gen_ai.request.model; provider = gen_ai.provider.name,
 *       else the legacy gen_ai.system</li>
 *   <li>route = spendstream.route, else http.route, else gen_ai.operation.name, else the span name</li>
 *   <li>task_id = gen_ai.conversation.id; error_type = error.type; status_code = http.response.status_code,
 *       else 500 for an error span and 200 otherwise; stop_reason = first of gen_ai.response.finish_reasons;
 *       request_id = gen_ai.response.id; tenant_id = spendstream.tenant_id (must be the key's tenant)</li>
 * </ul>
 */
public final class GenAiMapping {
  private GenAiMapping() {}

  /** The event, or an error message explaining why the span cannot be one. */
  public sealed interface Mapped {
    record Event(ObjectNode json) implements Mapped {}

    record Error(String field, String message) implements Mapped {}
  }

  public static Mapped map(GenAiSpan s) {
    Map<String, Object> a = s.attributes();
    Long input = number(a, "gen_ai.usage.input_tokens");
    Long output = number(a, "gen_ai.usage.output_tokens");
    Long cacheRead = first(number(a, "gen_ai.usage.cache_read.input_tokens"), number(a, "gen_ai.usage.cache_read_input_tokens"));
    Long cacheWrite = first(number(a, "gen_ai.usage.cache_creation.input_tokens"),
        number(a, "gen_ai.usage.cache_creation_input_tokens"));
    if (input == null) {
      return new Mapped.Error("gen_ai.usage.input_tokens", "required on a GenAI span");
    }
    long uncached = input - (cacheRead == null ? 0 : cacheRead) - (cacheWrite == null ? 0 : cacheWrite);
    if (uncached < 0) {
      return new Mapped.Error("gen_ai.usage.input_tokens", "is " + input + ", less than cache read (" + cacheRead
          + ") + cache creation (" + cacheWrite + "); OTel input tokens must include cache tokens");
    }
    if (s.traceId().isEmpty() || s.spanId().isEmpty()) {
      return new Mapped.Error("spanId", "trace and span ids are required (they make the event id)");
    }
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("event_id", s.traceId() + "-" + s.spanId());
    e.put("timestamp", AvroJson.timestamp(Instant.ofEpochSecond(0, s.startNanos())));
    putText(e, "tenant_id", a.get("spendstream.tenant_id"));
    putText(e, "provider", first(a.get("gen_ai.provider.name"), a.get("gen_ai.system")));
    putText(e, "model", first(a.get("gen_ai.response.model"), a.get("gen_ai.request.model")));
    putText(e, "route", first(first(a.get("spendstream.route"), a.get("http.route")),
        first(a.get("gen_ai.operation.name"), s.name().isEmpty() ? null : s.name())));
    putText(e, "feature", a.get("spendstream.feature"));
    putText(e, "user_id", first(a.get("enduser.id"), a.get("user.id")));
    putText(e, "task_id", a.get("gen_ai.conversation.id"));
    putText(e, "request_id", a.get("gen_ai.response.id"));
    putText(e, "error_type", a.get("error.type"));
    if (a.get("gen_ai.response.finish_reasons") instanceof List<?> reasons && !reasons.isEmpty()) {
      putText(e, "stop_reason", reasons.getFirst());
    }
    e.put("input_tokens", uncached);
    if (output != null) {
      e.put("output_tokens", output);
    }
    e.put("cache_read_input_tokens", cacheRead == null ? 0 : cacheRead);
    e.put("cache_creation_input_tokens", cacheWrite == null ? 0 : cacheWrite);
    e.put("latency_ms", Math.max(0, (s.endNanos() - s.startNanos()) / 1_000_000));
    Long status = number(a, "http.response.status_code");
    e.put("status_code", status != null ? status : s.error() || a.containsKey("error.type") ? 500 : 200);
    return new Mapped.Event(e);
  }

  static Long number(Map<String, Object> a, String key) {
    Object v = a.get(key);
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Double d && d == Math.rint(d)) {
      return d.longValue();
    }
    if (v instanceof String str && str.matches("\\d{1,18}")) {
      return Long.parseLong(str);
    }
    return null;
  }

  private static <T> T first(T a, T b) {
    return a != null ? a : b;
  }

  private static void putText(ObjectNode e, String field, Object v) {
    if (v != null) {
      e.put(field, v.toString());
    }
  }
}
