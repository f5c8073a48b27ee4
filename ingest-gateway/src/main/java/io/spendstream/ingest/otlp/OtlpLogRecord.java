package io.spendstream.ingest.otlp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One OTLP log record, decoded from protobuf or JSON: its times, the event name (the record's {@code event_name},
 * else its string body), the body when it is a string, trace and span ids (hex, empty when absent), and attributes
 * over its resource's.
 */
public record OtlpLogRecord(long timeNanos, long observedNanos, String eventName, String body, String traceId,
    String spanId, Map<String, Object> own, Map<String, Object> resource) {

  /** The record's attributes over its resource's, as one read-only view (nothing copied). */
  public Map<String, Object> attributes() {
    return LayeredAttributes.of(own, resource);
  }

  /** When it happened: the record's time, else when it was observed; 0 when neither is set. */
  public long nanos() {
    return timeNanos != 0 ? timeNanos : observedNanos;
  }

  /** 32 hex characters of a SHA-256 over the record's time, event name and own attributes: equal for a re-export. */
  public String digest() {
    String canonical = nanos() + "\u0000" + eventName + "\u0000" + new TreeMap<>(own);
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** Whether it carries GenAI usage (OpenTelemetry GenAI semantic conventions): a gen_ai.usage.* attribute. */
  public boolean hasGenAiUsage() {
    return own.keySet().stream().anyMatch(k -> k.startsWith("gen_ai.usage."));
  }

  /** As a zero-length span for {@link GenAiMapping}: its trace and span ids when it has them, else its digest. */
  public GenAiSpan asSpan() {
    boolean ids = !traceId.isEmpty() && !spanId.isEmpty();
    return new GenAiSpan(ids ? traceId : "log", ids ? spanId : digest(), eventName, nanos(), nanos(), false, own, resource);
  }
}
