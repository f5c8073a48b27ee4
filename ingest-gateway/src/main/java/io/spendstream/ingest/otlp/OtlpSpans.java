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

/** Reads OTLP/HTTP trace exports, protobuf (official classes) or the OTLP JSON encoding, into spans. */
public final class OtlpSpans {
  private OtlpSpans() {}

  public static List<GenAiSpan> fromProtobuf(byte[] body) throws InvalidProtocolBufferException {
    ExportTraceServiceRequest req = ExportTraceServiceRequest.parseFrom(body);
    List<GenAiSpan> out = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    for (ResourceSpans rs : req.getResourceSpansList()) {
      Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          Map<String, Object> attrs = new LinkedHashMap<>(resource);
          attrs.putAll(attributes(s.getAttributesList()));
          out.add(new GenAiSpan(hex.formatHex(s.getTraceId().toByteArray()), hex.formatHex(s.getSpanId().toByteArray()),
              s.getName(), s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
              s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR, attrs));
        }
      }
    }
    return out;
  }

  private static Map<String, Object> attributes(List<KeyValue> kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      m.put(kv.getKey(), value(kv.getValue()));
    }
    return m;
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
  public static List<GenAiSpan> fromJson(JsonNode root) {
    List<GenAiSpan> out = new ArrayList<>();
    for (JsonNode rs : root.path("resourceSpans")) {
      Map<String, Object> resource = jsonAttributes(rs.path("resource").path("attributes"));
      for (JsonNode ss : rs.path("scopeSpans")) {
        for (JsonNode s : ss.path("spans")) {
          Map<String, Object> attrs = new LinkedHashMap<>(resource);
          attrs.putAll(jsonAttributes(s.path("attributes")));
          JsonNode code = s.path("status").path("code");
          boolean error = code.asInt(-1) == 2 || "STATUS_CODE_ERROR".equals(code.asText());
          out.add(new GenAiSpan(s.path("traceId").asText(""), s.path("spanId").asText(""), s.path("name").asText(""),
              s.path("startTimeUnixNano").asLong(0), s.path("endTimeUnixNano").asLong(0), error, attrs));
        }
      }
    }
    return out;
  }

  private static Map<String, Object> jsonAttributes(JsonNode list) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (JsonNode kv : list) {
      m.put(kv.path("key").asText(), jsonValue(kv.path("value")));
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
