package io.spendstream.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads OTLP/HTTP trace exports, protobuf (official classes) or the OTLP JSON encoding, into spans, within
 * {@link Limits}: spans are counted and attributes checked while they are converted, so an export built to
 * blow up (thousands of resource attributes, tens of thousands of spans) is refused before it is copied.
 */
public final class OtlpSpans {
  private OtlpSpans() {}

  /**
   * @param maxSpans spans per request (the gateway's events per request)
   * @param maxAttributes attributes of one resource, one scope or one span
   * @param maxValueChars characters of one attribute value (strings; arrays count their elements' characters)
   */
  public record Limits(int maxSpans, int maxAttributes, int maxValueChars) {
    public static final int DEFAULT_MAX_ATTRIBUTES = 128;
    public static final int DEFAULT_MAX_VALUE_CHARS = 8192;

    public static Limits of(int maxSpans) {
      return new Limits(maxSpans, DEFAULT_MAX_ATTRIBUTES, DEFAULT_MAX_VALUE_CHARS);
    }
  }

  /** An export past the span limit (413). */
  public static final class TooManySpans extends Exception {
    private static final long serialVersionUID = 1L;

    TooManySpans(int limit) {
      super("at most " + limit + " spans per request");
    }
  }

  /** An export past the attribute limits (400). */
  public static final class OverLimits extends Exception {
    private static final long serialVersionUID = 1L;

    OverLimits(String message) {
      super(message);
    }
  }

  public static List<GenAiSpan> fromProtobuf(byte[] body, Limits limits)
      throws InvalidProtocolBufferException, TooManySpans, OverLimits {
    ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(body);
    int spans = 0;
    for (ResourceSpans rs : req.getResourceSpansList()) { // counted before anything is converted
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        spans += ss.getSpansCount();
        if (spans > limits.maxSpans()) {
          throw new TooManySpans(limits.maxSpans());
        }
      }
    }
    List<GenAiSpan> out = new ArrayList<>(spans);
    HexFormat hex = HexFormat.of();
    for (ResourceSpans rs : req.getResourceSpansList()) {
      Map<String, Object> resource = attributes(rs.getResource().getAttributesList(), "resource", limits);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        attributes(ss.getScope().getAttributesList(), "scope", limits);
        for (Span s : ss.getSpansList()) {
          out.add(new GenAiSpan(hex.formatHex(s.getTraceId().toByteArray()), hex.formatHex(s.getSpanId().toByteArray()),
              s.getName(), s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
              s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR,
              attributes(s.getAttributesList(), "span", limits), resource));
        }
      }
    }
    return out;
  }

  private static Map<String, Object> attributes(List<KeyValue> kvs, String of, Limits limits) throws OverLimits {
    if (kvs.size() > limits.maxAttributes()) {
      throw new OverLimits(of + " attributes: at most " + limits.maxAttributes() + ", got " + kvs.size());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      Object v = value(kv.getValue());
      checkSize(kv.getKey(), v, of, limits);
      m.put(kv.getKey(), v);
    }
    return m;
  }

  private static void checkSize(String key, Object v, String of, Limits limits) throws OverLimits {
    long chars = key.length() + (v instanceof String str ? str.length()
        : v instanceof List<?> l ? l.stream().mapToLong(e -> String.valueOf(e).length()).sum() : 0);
    if (chars > limits.maxValueChars()) {
      throw new OverLimits(of + " attribute '" + (key.length() > 64 ? key.substring(0, 64) + "..." : key) + "': at most "
          + limits.maxValueChars() + " characters");
    }
  }

  private static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BOOL_VALUE -> v.getBoolValue();
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpSpans::value).toList();
      default -> null;
    };
  }

  /** The OTLP JSON encoding: lowerCamelCase names, hex ids, 64-bit integers as strings or numbers. */
  public static List<GenAiSpan> fromJson(JsonNode root, Limits limits) throws TooManySpans, OverLimits {
    int spans = 0;
    for (JsonNode rs : root.path("resourceSpans")) {
      for (JsonNode ss : rs.path("scopeSpans")) {
        spans += ss.path("spans").size();
        if (spans > limits.maxSpans()) {
          throw new TooManySpans(limits.maxSpans());
        }
      }
    }
    List<GenAiSpan> out = new ArrayList<>(spans);
    for (JsonNode rs : root.path("resourceSpans")) {
      Map<String, Object> resource = jsonAttributes(rs.path("resource").path("attributes"), "resource", limits);
      for (JsonNode ss : rs.path("scopeSpans")) {
        jsonAttributes(ss.path("scope").path("attributes"), "scope", limits);
        for (JsonNode s : ss.path("spans")) {
          JsonNode code = s.path("status").path("code");
          boolean error = code.asInt(-1) == 2 || "STATUS_CODE_ERROR".equals(code.asText());
          out.add(new GenAiSpan(s.path("traceId").asText(""), s.path("spanId").asText(""), s.path("name").asText(""),
              s.path("startTimeUnixNano").asLong(0), s.path("endTimeUnixNano").asLong(0), error,
              jsonAttributes(s.path("attributes"), "span", limits), resource));
        }
      }
    }
    return out;
  }

  private static Map<String, Object> jsonAttributes(JsonNode list, String of, Limits limits) throws OverLimits {
    if (list.size() > limits.maxAttributes()) {
      throw new OverLimits(of + " attributes: at most " + limits.maxAttributes() + ", got " + list.size());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (JsonNode kv : list) {
      Object v = jsonValue(kv.path("value"));
      checkSize(kv.path("key").asText(), v, of, limits);
      m.put(kv.path("key").asText(), v);
    }
    return m;
  }

  private static Object jsonValue(JsonNode v) {
    if (v.has("stringValue")) {
      return v.get("stringValue").asText();
    }
    if (v.has("intValue")) {
      JsonNode i = v.get("intValue");
      return i.canConvertToLong() || i.isTextual() && i.asText().matches("-?\\d{1,19}") ? Long.valueOf(i.asLong()) : i.asText();
    }
    if (v.has("doubleValue")) {
      return v.get("doubleValue").asDouble();
    }
    if (v.has("boolValue")) {
      return v.get("boolValue").asBoolean();
    }
    if (v.has("arrayValue")) {
      List<Object> l = new ArrayList<>();
      v.get("arrayValue").path("values").forEach(e -> l.add(jsonValue(e)));
      return l;
    }
    return null;
  }
}
