package io.spendstream.ingest.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.schemas.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CloudEvents 1.0, JSON event format, structured mode: {@code application/cloudevents+json} (one event)
 * and {@code application/cloudevents-batch+json} (an array). {@code data} holds an event in the LlmCall
 * JSON form; the CloudEvent {@code id} is its event_id and {@code time} its timestamp when data has none.
 * The envelope is read by hand rather than with the CloudEvents SDK because each malformed event must
 * be reported with its index and field while the others are accepted.
 */
final class CloudEventsDecoder implements BodyDecoder {
  static final String SINGLE = "application/cloudevents+json";
  static final String BATCH = "application/cloudevents-batch+json";

  @Override
  public boolean accepts(String contentType) {
    String ct = contentType.toLowerCase(Locale.ROOT);
    return ct.startsWith(SINGLE) || ct.startsWith(BATCH);
  }

  @Override
  public String mediaTypes() {
    return SINGLE + " or " + BATCH;
  }

  @Override
  public List<BatchReader.Item> decode(byte[] body, String contentType, int maxItems)
      throws BatchReader.MalformedBody, BatchReader.TooManyItems {
    boolean batch = contentType.toLowerCase(Locale.ROOT).startsWith(BATCH);
    List<JsonNode> events;
    try (JsonParser p = Json.MAPPER.createParser(body)) {
      JsonToken first = p.nextToken();
      if (batch ? first != JsonToken.START_ARRAY : first != JsonToken.START_OBJECT) {
        throw new BatchReader.MalformedBody(batch ? "a CloudEvents batch must be a JSON array of events"
            : "a CloudEvent must be a JSON object (send arrays as " + BATCH + ")");
      }
      // a batch is read one event at a time and stops past the limit
      events = batch ? BatchReader.arrayItems(p, maxItems, "CloudEvents") : List.of(BatchReader.value(p));
    } catch (JsonProcessingException e) {
      throw new BatchReader.MalformedBody("malformed JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new BatchReader.MalformedBody("unreadable body");
    }
    List<BatchReader.Item> items = new ArrayList<>();
    int i = 0;
    for (JsonNode ce : events) {
      items.add(toItem(i++, ce));
    }
    return items;
  }

  private static BatchReader.Item toItem(int index, JsonNode ce) {
    if (!ce.isObject()) {
      return new BatchReader.Item(index, null, "a CloudEvent must be a JSON object");
    }
    for (String required : new String[] {"specversion", "id", "source", "type"}) {
      JsonNode v = ce.get(required);
      if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
        return new BatchReader.Item(index, null, "CloudEvents attribute '" + required + "' is required (non-empty string)");
      }
    }
    if (!ce.get("specversion").textValue().equals("1.0")) {
      return new BatchReader.Item(index, null, "specversion must be \"1.0\"");
    }
    if (ce.has("data_base64")) {
      return new BatchReader.Item(index, null, "data_base64 is not accepted; send data as a JSON object");
    }
    JsonNode data = ce.get("data");
    if (data == null || !data.isObject()) {
      return new BatchReader.Item(index, null, "data must be a JSON object in the LlmCall JSON form");
    }
    ObjectNode event = ((ObjectNode) data).deepCopy();
    String id = ce.get("id").textValue();
    JsonNode dataId = event.get("event_id");
    if (dataId != null && !dataId.isNull() && !id.equals(dataId.asText())) {
      return new BatchReader.Item(index, null, "data.event_id differs from the CloudEvent id; the id is the event id");
    }
    event.put("event_id", id);
    JsonNode time = ce.get("time");
    if ((event.get("timestamp") == null || event.get("timestamp").isNull()) && time != null && time.isTextual()) {
      event.put("timestamp", time.textValue());
    }
    return new BatchReader.Item(index, event, null);
  }
}
