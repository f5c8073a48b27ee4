package io.spendstream.ingest.otlp;

import java.util.Map;

/**
 * One OTLP span, decoded from protobuf or JSON, with attribute values as String, Long, Double, Boolean
 * or List. Resource attributes are merged under the span's own (the span wins).
 */
public record GenAiSpan(String traceId, String spanId, String name, long startNanos, long endNanos, boolean error,
    Map<String, Object> attributes) {

  /** A span is an LLM call when it carries any gen_ai.* attribute. */
  public boolean isGenAi() {
    return attributes.keySet().stream().anyMatch(k -> k.startsWith("gen_ai."));
  }
}
