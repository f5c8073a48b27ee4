package io.spendstream.ingest.otlp;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One OTLP span, decoded from protobuf or JSON, with attribute values as String, Long, Double, Boolean
 * or List. Resource attributes lie under the span's own (the span wins); they are one map shared by every
 * span of the resource, never copied per span (2,000 resource attributes × 20,000 spans must not become 40
 * million map entries).
 */
public record GenAiSpan(String traceId, String spanId, String name, long startNanos, long endNanos, boolean error,
    Map<String, Object> own, Map<String, Object> resource) {

  /** The span's attributes over its resource's, as one read-only view (nothing copied). */
  public Map<String, Object> attributes() {
    return new AbstractMap<>() {
      @Override
      public Object get(Object key) {
        Object v = own.get(key);
        return v != null || own.containsKey(key) ? v : resource.get(key);
      }

      @Override
      public boolean containsKey(Object key) {
        return own.containsKey(key) || resource.containsKey(key);
      }

      @Override
      public Set<Entry<String, Object>> entrySet() {
        Map<String, Object> merged = new LinkedHashMap<>(resource);
        merged.putAll(own);
        return Collections.unmodifiableMap(merged).entrySet();
      }
    };
  }

  /** A span is an LLM call when it carries any gen_ai.* attribute (its own or its resource's). */
  public boolean isGenAi() {
    return own.keySet().stream().anyMatch(k -> k.startsWith("gen_ai.")) || resource.keySet().stream()
        .anyMatch(k -> k.startsWith("gen_ai."));
  }
}
