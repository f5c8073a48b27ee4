package io.spendstream.ingest.http;

import java.util.List;

/**
 * Turns one endpoint's request body into events in the LlmCall JSON form; validation, tenancy, dedupe
 * and the Kafka write are the same for every endpoint.
 */
interface BodyDecoder {
  /** Whether the request's Content-Type is one this endpoint reads. */
  boolean accepts(String contentType);

  /** For the 415 message. */
  String mediaTypes();

  /**
   * The events, at most {@code maxItems} (more: {@link BatchReader.TooManyItems}, before the rest is decoded);
   * an event that cannot be turned into the JSON form carries its own error.
   */
  List<BatchReader.Item> decode(byte[] body, String contentType, int maxItems)
      throws BatchReader.MalformedBody, BatchReader.TooManyItems;

  /** Writes the outcome of a request that was read (202, or 400 when nothing was acceptable); returns the status sent. */
  default int respond(io.helidon.webserver.http.ServerResponse res, int status,
      com.fasterxml.jackson.databind.node.ObjectNode answer, String contentType) {
    Responses.send(res, status, answer);
    return status;
  }

  /** POST /v1/events: JSON object, array, or NDJSON. */
  BodyDecoder EVENTS = new BodyDecoder() {
    @Override
    public boolean accepts(String contentType) {
      return BatchReader.isJson(contentType) || BatchReader.isNdjson(contentType);
    }

    @Override
    public String mediaTypes() {
      return "application/json (one event or an array) or application/x-ndjson";
    }

    @Override
    public List<BatchReader.Item> decode(byte[] body, String contentType, int maxItems)
        throws BatchReader.MalformedBody, BatchReader.TooManyItems {
      return BatchReader.read(body, BatchReader.isNdjson(contentType), maxItems);
    }
  };
}
