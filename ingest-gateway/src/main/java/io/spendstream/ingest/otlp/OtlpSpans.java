package io.spendstream.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
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
      this(limit, "spans");
    }

    TooManySpans(int limit, String what) {
      super("at most " + limit + " " + what + " per request");
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
    return fromRequest(ExportTraceServiceRequest.parseFrom(body), limits);
  }

  /** The spans of a decoded request (OTLP/gRPC hands the request over already parsed). */
  public static List<GenAiSpan> fromRequest(ExportTraceServiceRequest req, Limits limits) throws TooManySpans, OverLimits {
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
      Map<String, Object> resource = OtlpValues.attributes(rs.getResource().getAttributesList(), "resource", limits);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        OtlpValues.attributes(ss.getScope().getAttributesList(), "scope", limits);
        for (Span s : ss.getSpansList()) {
          out.add(new GenAiSpan(hex.formatHex(s.getTraceId().toByteArray()), hex.formatHex(s.getSpanId().toByteArray()),
              s.getName(), s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
              s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR,
              OtlpValues.attributes(s.getAttributesList(), "span", limits), resource));
        }
      }
    }
    return out;
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
      Map<String, Object> resource = OtlpValues.jsonAttributes(rs.path("resource").path("attributes"), "resource", limits);
      for (JsonNode ss : rs.path("scopeSpans")) {
        OtlpValues.jsonAttributes(ss.path("scope").path("attributes"), "scope", limits);
        for (JsonNode s : ss.path("spans")) {
          JsonNode code = s.path("status").path("code");
          boolean error = code.asInt(-1) == 2 || "STATUS_CODE_ERROR".equals(code.asText());
          out.add(new GenAiSpan(s.path("traceId").asText(""), s.path("spanId").asText(""), s.path("name").asText(""),
              s.path("startTimeUnixNano").asLong(0), s.path("endTimeUnixNano").asLong(0), error,
              OtlpValues.jsonAttributes(s.path("attributes"), "span", limits), resource));
        }
      }
    }
    return out;
  }

}
