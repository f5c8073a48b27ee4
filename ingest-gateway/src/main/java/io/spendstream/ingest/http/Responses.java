package io.spendstream.ingest.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.spendstream.schemas.json.Json;

/** Every error the gateway answers is JSON: {@code {"error": code, "message": text, ...}}. */
final class Responses {
  private Responses() {}

  static ObjectNode error(String code, String message) {
    return Json.MAPPER.createObjectNode().put("error", code).put("message", message);
  }

  static void send(ServerResponse res, int status, ObjectNode body) {
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** 429/503 with Retry-After in whole seconds (at least 1). */
  static void retryLater(ServerResponse res, int status, long retryAfterSeconds, ObjectNode body) {
    res.header(HeaderNames.RETRY_AFTER, String.valueOf(Math.max(1, retryAfterSeconds)));
    send(res, status, body.put("retry_after_seconds", Math.max(1, retryAfterSeconds)));
  }
}
