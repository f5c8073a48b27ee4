package io.spendstream.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.spendstream.ingest.GatewayMetrics;
import io.spendstream.ingest.otlp.ClaudeCodeMapping;
import io.spendstream.ingest.otlp.GenAiMapping;
import io.spendstream.ingest.otlp.GenAiSpan;
import io.spendstream.ingest.otlp.OtlpAnswers;
import io.spendstream.ingest.otlp.OtlpLogRecord;
import io.spendstream.ingest.otlp.OtlpLogs;
import io.spendstream.ingest.otlp.OtlpMetricPoint;
import io.spendstream.ingest.otlp.OtlpMetrics;
import io.spendstream.ingest.otlp.OtlpSpans;
import io.spendstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OTLP/HTTP, protobuf or JSON, traces, logs or metrics (metrics: usage points, see {@link #decodeMetrics}). Spans with gen_ai.* attributes become events (see {@link GenAiMapping});
 * log records that are Claude Code API requests or errors become events (see {@link ClaudeCodeMapping}), as do log
 * records with GenAI usage attributes; other spans and records are ignored (log records are counted by event name).
 * The answer is the signal's Export*ServiceResponse in the request's encoding: 200, with partial_success when some
 * spans or records were rejected.
 */
final class OtlpDecoder implements BodyDecoder {
  static final String PROTOBUF = "application/x-protobuf";

  private final OtlpAnswers.Signal signal;
  private final GatewayMetrics metrics;

  OtlpDecoder(OtlpAnswers.Signal signal, GatewayMetrics metrics) {
    this.signal = signal;
    this.metrics = metrics;
  }

  @Override
  public boolean accepts(String contentType) {
    String ct = contentType.toLowerCase(Locale.ROOT);
    return ct.startsWith(PROTOBUF) || ct.startsWith("application/json");
  }

  @Override
  public String mediaTypes() {
    return PROTOBUF + " or application/json (OTLP/HTTP)";
  }

  /** Metrics carry usage points for {@link IngestPipeline#processUsage}, not events: see {@link #decodeMetrics}. */
  boolean isMetrics() {
    return signal == OtlpAnswers.Signal.METRICS;
  }

  List<OtlpMetricPoint> decodeMetrics(byte[] body, String contentType, int maxItems)
      throws BatchReader.MalformedBody, BatchReader.TooManyItems {
    OtlpSpans.Limits limits = OtlpSpans.Limits.of(maxItems);
    try {
      if (contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
        try {
          return OtlpMetrics.fromProtobuf(body, limits);
        } catch (InvalidProtocolBufferException e) {
          throw new BatchReader.MalformedBody("not an OTLP " + signal.request() + ": " + e.getMessage());
        }
      }
      return OtlpMetrics.fromJson(jsonRoot(body), limits);
    } catch (OtlpSpans.TooManySpans e) {
      throw new BatchReader.TooManyItems(maxItems, signal.items());
    } catch (OtlpSpans.OverLimits e) {
      throw new BatchReader.MalformedBody(e.getMessage());
    }
  }

  private JsonNode jsonRoot(byte[] body) throws BatchReader.MalformedBody {
    try {
      JsonNode root = Json.MAPPER.readTree(body);
      if (root == null || !root.isObject()) {
        throw new BatchReader.MalformedBody("an OTLP JSON export must be an object with " + signal.jsonRoot());
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new BatchReader.MalformedBody("malformed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BatchReader.MalformedBody("unreadable body");
    }
  }

  @Override
  public List<BatchReader.Item> decode(byte[] body, String contentType, int maxItems)
      throws BatchReader.MalformedBody, BatchReader.TooManyItems {
    if (isMetrics()) {
      throw new IllegalStateException("metrics are usage points, not events: decodeMetrics");
    }
    OtlpSpans.Limits limits = OtlpSpans.Limits.of(maxItems);
    try {
      if (contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
        try {
          return signal == OtlpAnswers.Signal.LOGS ? logItems(OtlpLogs.fromProtobuf(body, limits), metrics)
              : spanItems(OtlpSpans.fromProtobuf(body, limits));
        } catch (InvalidProtocolBufferException e) {
          throw new BatchReader.MalformedBody("not an OTLP " + signal.request() + ": " + e.getMessage());
        }
      }
      JsonNode root = jsonRoot(body);
      return signal == OtlpAnswers.Signal.LOGS ? logItems(OtlpLogs.fromJson(root, limits), metrics)
          : spanItems(OtlpSpans.fromJson(root, limits));
    } catch (OtlpSpans.TooManySpans e) {
      throw new BatchReader.TooManyItems(maxItems, signal.items());
    } catch (OtlpSpans.OverLimits e) {
      throw new BatchReader.MalformedBody(e.getMessage());
    }
  }

  static List<BatchReader.Item> spanItems(List<GenAiSpan> spans) {
    List<BatchReader.Item> items = new ArrayList<>();
    for (GenAiSpan s : spans) {
      if (s.isGenAi()) {
        items.add(item(items.size(), GenAiMapping.map(s)));
      }
    }
    return items;
  }

  /** The calls among log records; every record that is not one is counted by its (bounded) event name. */
  static List<BatchReader.Item> logItems(List<OtlpLogRecord> records, GatewayMetrics metrics) {
    List<BatchReader.Item> items = new ArrayList<>();
    for (OtlpLogRecord r : records) {
      String kind = ClaudeCodeMapping.kind(r);
      if (kind != null && ClaudeCodeMapping.isCall(kind)) {
        items.add(item(items.size(), ClaudeCodeMapping.map(r, kind)));
      } else if (kind == null && r.hasGenAiUsage()) {
        items.add(item(items.size(), GenAiMapping.map(r.asSpan())));
      } else {
        metrics.logRecordIgnored(kind != null ? ClaudeCodeMapping.label(kind) : "no_usage");
      }
    }
    return items;
  }

  private static BatchReader.Item item(int index, GenAiMapping.Mapped m) {
    return switch (m) {
      case GenAiMapping.Mapped.Event e -> new BatchReader.Item(index, e.json(), null);
      case GenAiMapping.Mapped.Error err -> new BatchReader.Item(index, null, err.field(), err.message());
    };
  }

  @Override
  public int respond(ServerResponse res, int status, ObjectNode answer, String contentType) {
    int rejected = answer.get("rejected_count").asInt();
    String message = OtlpAnswers.rejectionMessage(signal, rejected, answer.get("rejected").toString());
    int sent = status == 202 ? 200 : status;
    res.status(Status.create(sent));
    if (contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
      res.header(HeaderNames.CONTENT_TYPE, PROTOBUF);
      res.send(OtlpAnswers.protobuf(signal, rejected, message).toByteArray());
    } else {
      ObjectNode body = Json.MAPPER.createObjectNode();
      if (rejected > 0) {
        body.putObject("partialSuccess").put(signal.jsonRejectedField(), String.valueOf(rejected)).put("errorMessage", message);
      }
      body.set("spendstream", answer);
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }
    return sent;
  }
}
