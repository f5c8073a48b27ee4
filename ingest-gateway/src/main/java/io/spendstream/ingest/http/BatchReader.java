package io.spendstream.ingest.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
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

  /** More items than one request may carry: the rest of the body is not read (413). */
  static final class TooManyItems extends Exception {
    private static final long serialVersionUID = 1L;

    TooManyItems(int limit, String what) {
      super("at most " + limit + " " + what + " per request; the body has more (it was not read further)");
    }
  }

  /** Reads one value of a stream that goes on (the shared mapper refuses trailing tokens, rightly, for whole bodies). */
  private static final ObjectReader ONE_VALUE = Json.MAPPER.readerFor(JsonNode.class)
      .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private BatchReader() {}

  /** The value the parser is on, as a tree; the parser is left on its last token. */
  static JsonNode value(JsonParser p) throws java.io.IOException {
    return ONE_VALUE.readValue(p);
  }

  static boolean isNdjson(String contentType) {
    String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    return ct.startsWith("application/x-ndjson") || ct.startsWith("application/ndjson")
        || ct.startsWith("application/jsonl");
  }

  static boolean isJson(String contentType) {
    String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    return ct.startsWith("application/json") || ct.startsWith("text/json");
  }

  /** At most {@code maxItems} events, read one at a time: a body of more is refused before they are all in memory. */
  static List<Item> read(byte[] body, boolean ndjson, int maxItems) throws MalformedBody, TooManyItems {
    return ndjson ? ndjson(body, maxItems) : json(body, maxItems);
  }

  private static List<Item> json(byte[] body, int maxItems) throws MalformedBody, TooManyItems {
    List<Item> items = new ArrayList<>();
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new MalformedBody("empty body: send one event object, an array of events, or NDJSON");
      }
      if (first == JsonToken.START_ARRAY) {
        for (JsonNode item : arrayItems(p, maxItems, "events")) {
          items.add(new Item(items.size(), item, null));
        }
      } else {
        items.add(new Item(0, value(p), null));
      }
      if (p.nextToken() != null) {
        throw new MalformedBody("malformed JSON: more after the first value (send an array, or NDJSON)");
      }
    } catch (JsonProcessingException e) {
      throw new MalformedBody("malformed JSON: " + e.getOriginalMessage() + location(e));
    } catch (java.io.IOException e) {
      throw new MalformedBody("unreadable body: " + e.getMessage());
    }
    return items;
  }

  /**
   * The elements of the array whose START_ARRAY {@code p} is on, each read as a tree; past {@code maxItems}
   * it stops and throws, so a body of a million tiny items never becomes a million trees.
   */
  static List<JsonNode> arrayItems(JsonParser p, int maxItems, String what) throws java.io.IOException, TooManyItems {
    List<JsonNode> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == null) {
        throw new JsonParseException(p, "unexpected end of the array");
      }
      if (out.size() == maxItems) {
        throw new TooManyItems(maxItems, what);
      }
      out.add(value(p));
    }
    return out;
  }

  private static List<Item> ndjson(byte[] body, int maxItems) throws TooManyItems {
    List<Item> items = new ArrayList<>();
    String text = new String(body, StandardCharsets.UTF_8);
    int index = 0;
    for (String line : text.split("\n", -1)) {
      if (line.isBlank()) {
        continue;
      }
      if (index == maxItems) {
        throw new TooManyItems(maxItems, "events");
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
