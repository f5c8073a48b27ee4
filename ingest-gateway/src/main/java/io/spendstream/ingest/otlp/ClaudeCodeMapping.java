package io.spendstream.ingest.otlp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.schemas.json.AvroJson;
import io.spendstream.schemas.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;

/**
 * Claude Code's OpenTelemetry events (OTLP logs; names and attributes as in Claude Code's monitoring documentation) to
 * the LlmCall JSON form. One {@code claude_code.api_request} event is one call; one {@code claude_code.api_error} is
 * one failed call (no tokens). Every other Claude Code event (user_prompt, tool_result, tool_decision, ...) carries no
 * usage and is ignored.
 *
 * <ul>
 *   <li>tokens: {@code input_tokens} (uncached, Anthropic's meaning, as Claude Code reports the API's usage),
 *       {@code output_tokens}, {@code cache_read_tokens}, {@code cache_creation_tokens}</li>
 *   <li>{@code cost_usd} → reported_cost_nanos, for comparison only: the price catalog prices the call</li>
 *   <li>task_id = {@code session.id}; user_id = {@code user.account_uuid}, else {@code user.id}; latency_ms =
 *       {@code duration_ms}; route = {@code claude-code}; provider = anthropic</li>
 *   <li>event_id: {@code cc-} + the request id when the event has one, else session id + {@code event.sequence},
 *       else a hash of the record's time, name and attributes, so a re-export of the same record is a duplicate</li>
 *   <li>attributes: organization.id, terminal.type, app.version, speed, query_source, attempt (errors), the error
 *       message (errors, first 256 characters)</li>
 * </ul>
 */
public final class ClaudeCodeMapping {
  static final String PREFIX = "claude_code.";
  public static final String ROUTE = "claude-code";
  /** The events Claude Code documents; anything else is counted as "other" (metric labels stay bounded). */
  static final Set<String> KNOWN = Set.of("api_request", "api_error", "api_refusal", "user_prompt", "assistant_response",
      "tool_result", "tool_decision", "api_request_body", "api_response_body", "permission_mode_changed", "auth",
      "mcp_server_connection", "internal_error", "plugin_installed", "plugin_loaded");
  private static final Map<String, String> COPIED = Map.of("organization.id", "organization.id", "terminal.type",
      "terminal.type", "app.version", "app.version", "speed", "speed", "query_source", "query_source", "attempt", "attempt");

  private ClaudeCodeMapping() {}

  /**
   * The Claude Code event kind without the prefix (api_request, tool_result, ...), or null when the record is not a
   * Claude Code event: its event name or body starts with {@code claude_code.}, or its {@code event.name} attribute does,
   * or its resource's service.name is claude-code and it has an {@code event.name}.
   */
  public static String kind(OtlpLogRecord r) {
    if (r.eventName().startsWith(PREFIX)) {
      return r.eventName().substring(PREFIX.length());
    }
    Object name = r.own().get("event.name");
    if (name instanceof String s && !s.isEmpty()) {
      if (s.startsWith(PREFIX)) {
        return s.substring(PREFIX.length());
      }
      if ("claude-code".equals(r.resource().get("service.name"))) {
        return s;
      }
    }
    return null;
  }

  /** A bounded metric label for an event kind. */
  public static String label(String kind) {
    return KNOWN.contains(kind) ? PREFIX + kind : "claude_code.other";
  }

  /** Whether a Claude Code event of this kind is a call. */
  public static boolean isCall(String kind) {
    return kind.equals("api_request") || kind.equals("api_error");
  }

  /** The call of an api_request or api_error event. */
  public static GenAiMapping.Mapped map(OtlpLogRecord r, String kind) {
    Map<String, Object> a = r.attributes();
    Object model = a.get("model");
    if (!(model instanceof String m) || m.isBlank()) {
      return new GenAiMapping.Mapped.Error("model", "required on a claude_code." + kind + " event");
    }
    Instant at = time(r);
    if (at == null) {
      return new GenAiMapping.Mapped.Error("timeUnixNano", "the event has no time (timeUnixNano, observedTimeUnixNano or"
          + " event.timestamp)");
    }
    ObjectNode e = Json.MAPPER.createObjectNode();
    e.put("event_id", "cc-" + eventId(r, kind, a));
    e.put("timestamp", AvroJson.timestamp(at));
    e.put("provider", "anthropic");
    e.put("model", m);
    e.put("route", ROUTE);
    text(e, "user_id", a.get("user.account_uuid") != null ? a.get("user.account_uuid") : a.get("user.id"));
    text(e, "task_id", a.get("session.id"));
    text(e, "request_id", a.get("request_id"));
    Long duration = GenAiMapping.number(a, "duration_ms");
    e.put("latency_ms", duration == null ? 0 : duration);
    ObjectNode attributes = e.putObject("attributes").put("source", "claude_code");
    COPIED.forEach((from, to) -> {
      Object v = a.get(from);
      if (v != null) {
        attributes.put(to, truncate(v.toString()));
      }
    });
    if (attributes.get("app.version") == null && r.resource().get("service.version") != null) {
      attributes.put("app.version", truncate(r.resource().get("service.version").toString()));
    }
    if (kind.equals("api_error")) {
      Long status = GenAiMapping.number(a, "status_code");
      int code = status != null && status >= 100 && status <= 599 ? status.intValue() : 500;
      e.put("status_code", code);
      e.put("error_type", code == 429 ? "rate_limit_error" : code == 529 ? "overloaded_error" : "api_error");
      if (a.get("error") != null) {
        attributes.put("error", truncate(a.get("error").toString()));
      }
      e.put("input_tokens", 0).put("output_tokens", 0);
      return new GenAiMapping.Mapped.Event(e);
    }
    for (String[] t : new String[][] {{"input_tokens", "input_tokens"}, {"output_tokens", "output_tokens"},
        {"cache_read_tokens", "cache_read_input_tokens"}, {"cache_creation_tokens", "cache_creation_input_tokens"}}) {
      Long n = GenAiMapping.number(a, t[0]);
      if (n == null && a.get(t[0]) != null) {
        return new GenAiMapping.Mapped.Error(t[0], "must be a whole number of tokens, got '" + truncate(a.get(t[0]).toString())
            + "'");
      }
      e.put(t[1], n == null ? 0 : n);
    }
    e.put("status_code", 200);
    Long reported = nanos(a.get("cost_usd"));
    if (reported != null) {
      e.put("reported_cost_nanos", reported);
    }
    return new GenAiMapping.Mapped.Event(e);
  }

  /** USD (a double or a decimal string) to nano-USD, rounded half up; null when it is not a non-negative amount. */
  static Long nanos(Object usd) {
    BigDecimal d;
    try {
      d = usd instanceof Double x && Double.isFinite(x) ? new BigDecimal(Double.toString(x))
          : usd instanceof Long l ? BigDecimal.valueOf(l) : usd instanceof String s && s.length() <= 40 ? new BigDecimal(s) : null;
    } catch (NumberFormatException e) {
      return null;
    }
    return nanos(d);
  }

  /** An exact amount of USD to nano-USD, rounded half up; null when it is not an amount from 0 to 9e9. */
  static Long nanos(BigDecimal usd) {
    if (usd == null || usd.signum() < 0 || usd.compareTo(BigDecimal.valueOf(9_000_000_000L)) > 0) {
      return null;
    }
    return usd.movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
  }

  private static Instant time(OtlpLogRecord r) {
    if (r.nanos() != 0) {
      return Instant.ofEpochSecond(0, r.nanos());
    }
    if (r.own().get("event.timestamp") instanceof String s) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  private static String eventId(OtlpLogRecord r, String kind, Map<String, Object> a) {
    if (a.get("request_id") instanceof String id && usable(kind + "-" + id)) {
      return kind + "-" + id;
    }
    Object session = a.get("session.id");
    Object sequence = a.get("event.sequence");
    if (session != null && sequence != null && usable(kind + "-" + session + "-" + sequence)) {
      return kind + "-" + session + "-" + sequence;
    }
    return kind + "-" + r.digest(); // the same record exported again has the same time, name and attributes
  }

  /** Fits an event id (at most 128 printable ASCII characters, with "cc-" in front). */
  private static boolean usable(String id) {
    return id.length() <= 120 && id.chars().allMatch(c -> c >= 0x21 && c <= 0x7e);
  }

  private static void text(ObjectNode e, String field, Object v) {
    if (v != null && !v.toString().isBlank()) {
      e.put(field, v.toString());
    }
  }

  private static String truncate(String s) {
    return s.length() <= 256 ? s : s.substring(0, 255) + "…";
  }
}
