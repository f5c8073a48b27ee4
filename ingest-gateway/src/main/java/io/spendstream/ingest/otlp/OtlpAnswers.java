package io.spendstream.ingest.otlp;

import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/** The OTLP answer of each signal: the Export*ServiceResponse with partial_success when something was rejected. */
public final class OtlpAnswers {
  private OtlpAnswers() {}

  /** The OTLP signals the gateway reads. */
  public enum Signal {
    TRACES("ExportTraceServiceRequest", "resourceSpans", "spans", "rejectedSpans"),
    LOGS("ExportLogsServiceRequest", "resourceLogs", "log records", "rejectedLogRecords"),
    METRICS("ExportMetricsServiceRequest", "resourceMetrics", "data points", "rejectedDataPoints");

    private final String request;
    private final String jsonRoot;
    private final String items;
    private final String jsonRejectedField;

    Signal(String request, String jsonRoot, String items, String jsonRejectedField) {
      this.request = request;
      this.jsonRoot = jsonRoot;
      this.items = items;
      this.jsonRejectedField = jsonRejectedField;
    }

    public String request() {
      return request;
    }

    public String jsonRoot() {
      return jsonRoot;
    }

    public String items() {
      return items;
    }

    public String jsonRejectedField() {
      return jsonRejectedField;
    }
  }

  /** "N spans rejected: [...]" (or "log records"), at most 2,000 characters; empty when nothing was rejected. */
  public static String rejectionMessage(Signal signal, int rejected, String details) {
    if (rejected == 0) {
      return "";
    }
    String message = rejected + " " + signal.items() + " rejected: " + details;
    return message.length() > 2000 ? message.substring(0, 2000) + "..." : message;
  }

  public static Message protobuf(Signal signal, int rejected, String message) {
    return switch (signal) {
      case TRACES -> {
        ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
        if (rejected > 0) {
          b.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected).setErrorMessage(message));
        }
        yield b.build();
      }
      case LOGS -> {
        ExportLogsServiceResponse.Builder b = ExportLogsServiceResponse.newBuilder();
        if (rejected > 0) {
          b.setPartialSuccess(ExportLogsPartialSuccess.newBuilder().setRejectedLogRecords(rejected).setErrorMessage(message));
        }
        yield b.build();
      }
      case METRICS -> {
        ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
        if (rejected > 0) {
          b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder().setRejectedDataPoints(rejected).setErrorMessage(message));
        }
        yield b.build();
      }
    };
  }
}
