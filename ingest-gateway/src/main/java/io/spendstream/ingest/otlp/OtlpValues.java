package io.spendstream.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP attribute lists (protobuf or the JSON encoding) to maps of String, Long, Double, Boolean or List values, each
 * list and value checked against the limits while it is converted. Shared by every signal.
 */
final class OtlpValues {
  private OtlpValues() {}

  static Map<String, Object> attributes(List<KeyValue> kvs, String of, OtlpSpans.Limits limits) throws OtlpSpans.OverLimits {
    if (kvs.size() > limits.maxAttributes()) {
      throw new OtlpSpans.OverLimits(of + " attributes: at most " + limits.maxAttributes() + ", got " + kvs.size());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      Object v = value(kv.getValue());
      checkSize(kv.getKey(), v, of, limits);
      m.put(kv.getKey(), v);
    }
    return m;
  }

  static void checkSize(String key, Object v, String of, OtlpSpans.Limits limits) throws OtlpSpans.OverLimits {
    long chars = key.length() + (v instanceof String str ? str.length()
        : v instanceof List<?> l ? l.stream().mapToLong(e -> String.valueOf(e).length()).sum() : 0);
    if (chars > limits.maxValueChars()) {
      throw new OtlpSpans.OverLimits(of + " attribute '" + (key.length() > 64 ? key.substring(0, 64) + "..." : key) + "': at most "
          + limits.maxValueChars() + " characters");
    }
  }

  static Object value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case INT_VALUE -> v.getIntValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case BOOL_VALUE -> v.getBoolValue();
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpValues::value).toList();
      default -> null;
    };
  }

  static Map<String, Object> jsonAttributes(JsonNode list, String of, OtlpSpans.Limits limits) throws OtlpSpans.OverLimits {
    if (list.size() > limits.maxAttributes()) {
      throw new OtlpSpans.OverLimits(of + " attributes: at most " + limits.maxAttributes() + ", got " + list.size());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (JsonNode kv : list) {
      Object v = jsonValue(kv.path("value"));
      checkSize(kv.path("key").asText(), v, of, limits);
      m.put(kv.path("key").asText(), v);
    }
    return m;
  }

  static Object jsonValue(JsonNode v) {
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
