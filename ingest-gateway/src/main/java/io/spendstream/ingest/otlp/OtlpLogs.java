package io.spendstream.ingest.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads OTLP log exports (OTLP/HTTP protobuf, the OTLP JSON encoding, or the request an OTLP/gRPC call carries) into
 * log records within {@link OtlpSpans.Limits}: records are counted before any is converted, and attributes and string
 * bodies are checked while they are.
 */
public final class OtlpLogs {
  private OtlpLogs() {}

  public static List<OtlpLogRecord> fromProtobuf(byte[] body, OtlpSpans.Limits limits)
      throws InvalidProtocolBufferException, OtlpSpans.TooManySpans, OtlpSpans.OverLimits {
    return fromRequest(ExportLogsServiceRequest.parseFrom(body), limits);
  }

  public static List<OtlpLogRecord> fromRequest(ExportLogsServiceRequest req, OtlpSpans.Limits limits)
      throws OtlpSpans.TooManySpans, OtlpSpans.OverLimits {
    int records = 0;
    for (ResourceLogs rl : req.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        records += sl.getLogRecordsCount();
        if (records > limits.maxSpans()) {
          throw new OtlpSpans.TooManySpans(limits.maxSpans(), "log records");
        }
      }
    }
    List<OtlpLogRecord> out = new ArrayList<>(records);
    HexFormat hex = HexFormat.of();
    for (ResourceLogs rl : req.getResourceLogsList()) {
      Map<String, Object> resource = OtlpValues.attributes(rl.getResource().getAttributesList(), "resource", limits);
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        OtlpValues.attributes(sl.getScope().getAttributesList(), "scope", limits);
        for (LogRecord r : sl.getLogRecordsList()) {
          String body = r.getBody().getValueCase() == AnyValue.ValueCase.STRING_VALUE ? r.getBody().getStringValue() : null;
          OtlpValues.checkSize("body", body, "log record", limits);
          out.add(new OtlpLogRecord(r.getTimeUnixNano(), r.getObservedTimeUnixNano(), eventName(r.getEventName(), body),
              body, hex.formatHex(r.getTraceId().toByteArray()), hex.formatHex(r.getSpanId().toByteArray()),
              OtlpValues.attributes(r.getAttributesList(), "log record", limits), resource));
        }
      }
    }
    return out;
  }

  /** The OTLP JSON encoding: lowerCamelCase names, hex ids, 64-bit integers as strings or numbers. */
  public static List<OtlpLogRecord> fromJson(JsonNode root, OtlpSpans.Limits limits)
      throws OtlpSpans.TooManySpans, OtlpSpans.OverLimits {
    int records = 0;
    for (JsonNode rl : root.path("resourceLogs")) {
      for (JsonNode sl : rl.path("scopeLogs")) {
        records += sl.path("logRecords").size();
        if (records > limits.maxSpans()) {
          throw new OtlpSpans.TooManySpans(limits.maxSpans(), "log records");
        }
      }
    }
    List<OtlpLogRecord> out = new ArrayList<>(records);
    for (JsonNode rl : root.path("resourceLogs")) {
      Map<String, Object> resource = OtlpValues.jsonAttributes(rl.path("resource").path("attributes"), "resource", limits);
      for (JsonNode sl : rl.path("scopeLogs")) {
        OtlpValues.jsonAttributes(sl.path("scope").path("attributes"), "scope", limits);
        for (JsonNode r : sl.path("logRecords")) {
          JsonNode b = r.path("body").path("stringValue");
          String body = b.isTextual() ? b.textValue() : null;
          OtlpValues.checkSize("body", body, "log record", limits);
          out.add(new OtlpLogRecord(r.path("timeUnixNano").asLong(0), r.path("observedTimeUnixNano").asLong(0),
              eventName(r.path("eventName").asText(""), body), body, r.path("traceId").asText(""),
              r.path("spanId").asText(""), OtlpValues.jsonAttributes(r.path("attributes"), "log record", limits), resource));
        }
      }
    }
    return out;
  }

  private static String eventName(String field, String body) {
    return !field.isEmpty() ? field : body != null && body.length() <= 256 && !body.contains(" ") ? body : "";
  }
}
