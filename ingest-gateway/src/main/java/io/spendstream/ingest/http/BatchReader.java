package io.spendstream.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.spendstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a request body into events: one JSON object, a JSON array of objects, or NDJSON (one object per
 * line, blank lines ignored). An NDJSON line that is not JSON becomes a rejected item, not a failed request.
 */
final class BatchReader {
  /** One event of a batch: its JSON, or which field made it unreadable and why. */
  record Item(int index, JsonNode json, String errorField, String readError) {
    Item(int index, JsonNode json, String readError) {
      this(index, json, "$", readError);
    }
  }

  /** The body is not JSON at all (or not the media type it claims). */
  static final class MalformedBody extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedBody(String message) {
      super(message);
    }
  }

  private BatchReader() {}

  static boolean isNdjson(String contentType) {
    String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    return ct.startsWith("application/x-ndjson") || ct.startsWith("application/ndjson")
        || ct.startsWith("application/jsonl");
  }

  static boolean isJson(String contentType) {
    String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    return ct.startsWith("application/json") || ct.startsWith("text/json");
  }

  static List<Item> read(byte[] body, boolean ndjson) throws MalformedBody {
    return ndjson ? ndjson(body) : json(body);
  }

  private static List<Item> json(byte[] body) throws MalformedBody {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedBody("malformed JSON: " + e.getOriginalMessage() + location(e));
    } catch (java.io.IOException e) {
      throw new MalformedBody("unreadable body: " + e.getMessage());
    }
    if (root == null || root.isMissingNode()) {
      throw new MalformedBody("empty body: send one event object, an array of events, or NDJSON");
    }
    List<Item> items = new ArrayList<>();
    if (root.isArray()) {
      for (int i = 0; i < root.size(); i++) {
        items.add(new Item(i, root.get(i), null));
      }
    } else {
      items.add(new Item(0, root, null));
    }
    return items;
  }

  private static List<Item> ndjson(byte[] body) {
    List<Item> items = new ArrayList<>();
    String text = new String(body, StandardCharsets.UTF_8);
    int index = 0;
    for (String line : text.split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        items.add(new Item(index, Json.MAPPER.readTree(line), null));
      } catch (JsonProcessingException e) {
        items.add(new Item(index, null, "malformed JSON line: " + e.getOriginalMessage()));
      }
      index++;
    }
    return items;
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }
}
