package io.spendstream.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.spendstream.ingest.otlp.GenAiMapping;
import io.spendstream.ingest.otlp.GenAiSpan;
import io.spendstream.ingest.otlp.OtlpSpans;
import io.spendstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * OTLP/HTTP traces, protobuf or JSON. Spans with gen_ai.* attributes become events (see
 * {@link GenAiMapping}); other spans are ignored. The answer is an ExportTraceServiceResponse in the
 * request's encoding: 200, with partial_success when some spans were rejected.
 */
final class OtlpDecoder implements BodyDecoder {
  static final String PROTOBUF = "application/x-protobuf";

  @Override
  public boolean accepts(String contentType) {
    String ct = contentType.toLowerCase(Locale.ROOT);
    return ct.startsWith(PROTOBUF) || ct.startsWith("application/json");
  }

  @Override
  public String mediaTypes() {
    return PROTOBUF + " or application/json (OTLP/HTTP)";
  }

  @Override
  public List<BatchReader.Item> decode(byte[] body, String contentType, int maxItems)
      throws BatchReader.MalformedBody, BatchReader.TooManyItems {
    OtlpSpans.Limits limits = OtlpSpans.Limits.of(maxItems);
    List<GenAiSpan> spans;
    try {
      if (contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
        try {
          spans = OtlpSpans.fromProtobuf(body, limits);
        } catch (InvalidProtocolBufferException e) {
          throw new BatchReader.MalformedBody("not an OTLP ExportTraceServiceRequest: " + e.getMessage());
        }
      } else {
        try {
          JsonNode root = Json.MAPPER.readTree(body);
          if (root == null || !root.isObject()) {
            throw new BatchReader.MalformedBody("an OTLP JSON export must be an object with resourceSpans");
          }
          spans = OtlpSpans.fromJson(root, limits);
        } catch (JsonProcessingException e) {
          throw new BatchReader.MalformedBody("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
          throw new BatchReader.MalformedBody("unreadable body");
        }
      }
    } catch (OtlpSpans.TooManySpans e) {
      throw new BatchReader.TooManyItems(maxItems, "spans");
    } catch (OtlpSpans.OverLimits e) {
      throw new BatchReader.MalformedBody(e.getMessage());
    }
    List<BatchReader.Item> items = new ArrayList<>();
    int index = 0;
    for (GenAiSpan s : spans) {
      if (!s.isGenAi()) {
        continue;
      }
      items.add(switch (GenAiMapping.map(s)) {
        case GenAiMapping.Mapped.Event e -> new BatchReader.Item(index, e.json(), null);
        case GenAiMapping.Mapped.Error err -> new BatchReader.Item(index, null, err.field(), err.message());
      });
      index++;
    }
    return items;
  }

  @Override
  public int respond(ServerResponse res, int status, ObjectNode answer, String contentType) {
    int rejected = answer.get("rejected_count").asInt();
    String message = rejected == 0 ? "" : rejected + " span(s) rejected: " + answer.get("rejected").toString();
    if (message.length() > 2000) {
      message = message.substring(0, 2000) + "...";
    }
    int sent = status == 202 ? 200 : status;
    res.status(Status.create(sent));
    if (contentType.toLowerCase(Locale.ROOT).startsWith(PROTOBUF)) {
      ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
      if (rejected > 0) {
        b.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected).setErrorMessage(message));
      }
      res.header(HeaderNames.CONTENT_TYPE, PROTOBUF);
      res.send(b.build().toByteArray());
    } else {
      ObjectNode body = Json.MAPPER.createObjectNode();
      if (rejected > 0) {
        body.putObject("partialSuccess").put("rejectedSpans", String.valueOf(rejected)).put("errorMessage", message);
      }
      body.set("spendstream", answer);
      res.header(HeaderNames.CONTENT_TYPE, "application/json");
      res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }
    return sent;
  }
}
