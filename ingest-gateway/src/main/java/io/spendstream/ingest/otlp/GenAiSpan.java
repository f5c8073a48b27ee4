package io.spendstream.ingest.otlp;

import java.util.Map;

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
    return LayeredAttributes.of(own, resource);
  }

  /** A span is an LLM call when it carries any gen_ai.* attribute (its own or its resource's). */
  public boolean isGenAi() {
    return own.keySet().stream().anyMatch(k -> k.startsWith("gen_ai.")) || resource.keySet().stream()
        .anyMatch(k -> k.startsWith("gen_ai."));
  }
}
