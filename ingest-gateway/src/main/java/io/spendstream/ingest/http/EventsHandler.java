package io.spendstream.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.spendstream.ingest.GatewayConfig;
import io.spendstream.ingest.GatewayMetrics;
import io.spendstream.ingest.auth.ReloadingTenantKeys;
import io.spendstream.ingest.auth.TenantKeys;
import io.spendstream.ingest.kafka.CallPublisher;
import io.spendstream.ingest.kafka.PublishFailedException;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.json.FieldError;
import io.spendstream.schemas.json.LlmCallJson;
import io.spendstream.schemas.json.ParseOptions;
import io.spendstream.schemas.json.ParseResult;
import io.spendstream.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/events}: authenticate, bound memory, read the batch, validate each event, refuse
 * cross-tenant writes, drop duplicates, rate-limit, write to Kafka, and answer 202 only after Kafka
 * acknowledged every accepted event. Logs never contain bodies, keys or prompts.
 */
public final class EventsHandler implements Handler {
  private static final Logger log = LoggerFactory.getLogger(EventsHandler.class);
  private static final int MAX_REJECTIONS_LISTED = 1000;

  private final String endpoint;
  private final BodyDecoder decoder;
  private final GatewayConfig config;
  private final ReloadingTenantKeys keys;
  private final CallPublisher publisher;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final IngestBudget budget;
  /** Event ids Kafka acknowledged recently, per tenant: best effort; the stream processor dedupes for real. */
  private EventsHandler(String endpoint, BodyDecoder decoder, GatewayConfig config, ReloadingTenantKeys keys,
      CallPublisher publisher, GatewayMetrics metrics, Clock clock, IngestBudget budget) {
    this.endpoint = endpoint;
    this.budget = budget;
    this.decoder = decoder;
    this.config = config;
    this.keys = keys;
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** POST /v1/events. */
  public static EventsHandler events(GatewayConfig c, ReloadingTenantKeys k, CallPublisher p, GatewayMetrics m, Clock clock,
      IngestBudget budget) {
    return new EventsHandler("events", BodyDecoder.EVENTS, c, k, p, m, clock, budget);
  }

  /** POST /v1/otlp/v1/traces. */
  public static EventsHandler otlpTraces(GatewayConfig c, ReloadingTenantKeys k, CallPublisher p, GatewayMetrics m,
      Clock clock, IngestBudget budget) {
    return new EventsHandler("otlp_traces", new OtlpDecoder(), c, k, p, m, clock, budget);
  }

  /** POST /v1/cloudevents. */
  public static EventsHandler cloudEvents(GatewayConfig c, ReloadingTenantKeys k, CallPublisher p, GatewayMetrics m,
      Clock clock, IngestBudget budget) {
    return new EventsHandler("cloudevents", new CloudEventsDecoder(), c, k, p, m, clock, budget);
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    metrics.inFlightRequests().incrementAndGet();
    try {
      int status = serve(req, res);
      metrics.request(endpoint, status);
    } finally {
      metrics.inFlightRequests().decrementAndGet();
    }
  }

  private int serve(ServerRequest req, ServerResponse res) {
    Optional<TenantKeys.Tenant> tenant = bearer(req).flatMap(keys::authenticate);
    if (tenant.isEmpty()) {
      res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
      Responses.send(res, 401, Responses.error("unauthorized", "missing or unknown API key; send Authorization: Bearer <key>"));
      return 401;
    }
    String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    if (!decoder.accepts(contentType)) {
      Responses.send(res, 415, Responses.error("unsupported_media_type",
          "Content-Type must be " + decoder.mediaTypes() + ", got '" + abbreviate(contentType) + "'"));
      return 415;
    }
    long declared = req.headers().contentLength().orElse(-1);
    if (declared > config.maxBodyBytes()) {
      Responses.send(res, 413, tooLarge());
      return 413;
    }
    int reserve = (int) (declared >= 0 ? declared : config.maxBodyBytes());
    // a tenant's own share first: one tenant's slow uploads cannot hold the whole budget and starve the others
    Semaphore tenantBytes = budget.tenantInFlight(tenant.get().id());
    if (!tenantBytes.tryAcquire(reserve)) {
      Responses.retryLater(res, 429, 1, Responses.error("tenant_busy", "tenant " + tenant.get().id() + " has "
          + budget.perTenantInFlightBytes() + " bytes of requests in flight already; retry shortly"));
      return 429;
    }
    try {
      if (!budget.inFlightBytes.tryAcquire(reserve)) {
        Responses.retryLater(res, 503, 1, Responses.error("busy", "the gateway is at its in-flight limit; retry shortly"));
        return 503;
      }
      metrics.inFlightBytes().addAndGet(reserve);
      try {
        return ingest(req, res, tenant.get(), contentType);
      } finally {
        budget.inFlightBytes.release(reserve);
        metrics.inFlightBytes().addAndGet(-reserve);
      }
    } finally {
      tenantBytes.release(reserve);
    }
  }

  private int ingest(ServerRequest req, ServerResponse res, TenantKeys.Tenant tenant, String contentType) {
    byte[] body;
    try (InputStream in = req.content().inputStream()) {
      body = in.readNBytes((int) config.maxBodyBytes() + 1);
    } catch (IOException | RuntimeException e) {
      Responses.send(res, 400, Responses.error("unreadable_body", "could not read the request body"));
      return 400;
    }
    if (body.length > config.maxBodyBytes()) {
      Responses.send(res, 413, tooLarge());
      return 413;
    }
    List<BatchReader.Item> items;
    try {
      items = decoder.decode(body, contentType, config.maxBatchEvents());
    } catch (BatchReader.MalformedBody e) {
      Responses.send(res, 400, Responses.error("malformed_json", e.getMessage()));
      return 400;
    } catch (BatchReader.TooManyItems e) {
      Responses.send(res, 413, Responses.error("batch_too_large", e.getMessage()));
      return 413;
    }
    if (items.size() > config.maxBatchEvents()) {
      Responses.send(res, 413, Responses.error("batch_too_large", "at most " + config.maxBatchEvents()
          + " events per request, got " + items.size()));
      return 413;
    }
    for (BatchReader.Item item : items) {
      JsonNode t = item.json() == null ? null : item.json().get("tenant_id");
      if (t != null && t.isTextual() && !t.textValue().equals(tenant.id())) {
        ObjectNode err = Responses.error("forbidden", "event " + item.index() + " names another tenant than the API key's;"
            + " nothing in this request was accepted");
        Responses.send(res, 403, err.put("index", item.index()).put("field", "tenant_id"));
        log.warn("component=gateway event=cross_tenant_write key_tenant={} index={}", tenant.id(), item.index());
        return 403;
      }
    }
    ParseOptions options = new ParseOptions(tenant.id(), clock, config.maxEventAge(), config.maxEventFuture(),
        ParseOptions.DEFAULT_MAX_TOKENS);
    ArrayNode rejected = Json.MAPPER.createArrayNode();
    int rejectedCount = 0;
    int duplicates = 0;
    List<LlmCall> accepted = new ArrayList<>(items.size());
    Set<String> seenInBatch = new HashSet<>();
    // received_at is when this gateway accepted the event, by its own clock (a client's value was range-checked)
    Instant receivedAt = clock.instant();
    for (BatchReader.Item item : items) {
      List<FieldError> errors;
      if (item.readError() != null) {
        errors = List.of(new FieldError(item.errorField(), item.readError()));
      } else {
        ParseResult r = LlmCallJson.parse(item.json(), options);
        if (r instanceof ParseResult.Valid v) {
          String key = tenant.id() + '\u0000' + v.call().getEventId();
          if (!seenInBatch.add(key) || budget.recentlyAcked(tenant.id(), v.call().getEventId())) {
            duplicates++;
          } else {
            v.call().setReceivedAt(receivedAt);
            accepted.add(v.call());
          }
          continue;
        }
        errors = ((ParseResult.Invalid) r).errors();
      }
      rejectedCount++;
      for (FieldError e : errors) {
        if (rejected.size() < MAX_REJECTIONS_LISTED) {
          rejected.addObject().put("index", item.index()).put("field", e.field()).put("error", e.error());
        }
      }
    }
    // from here on only the calls are needed: let the body and its trees go before waiting for Kafka (half of a
    // request's heap; GatewayMemoryIT measures what is left)
    body = null;
    items = null;
    long rate = tenant.rateLimitPerSecond() > 0 ? tenant.rateLimitPerSecond() : config.defaultRateLimitPerSecond();
    // every event read costs the tenant's budget, accepted or not: a flood of invalid or repeated events is not free
    int charged = accepted.size() + duplicates + rejectedCount;
    if (charged > rate) {
      Responses.send(res, 413, Responses.error("batch_exceeds_rate_limit", "a batch of " + charged
          + " events exceeds the tenant's rate limit of " + rate + " events/s; send smaller batches"));
      return 413;
    }
    Optional<Duration> wait = charged == 0 ? Optional.empty() : budget.rateLimiter.tryAcquire(tenant.id(), rate, charged);
    if (wait.isPresent()) {
      Responses.retryLater(res, 429, (wait.get().toMillis() + 999) / 1000, Responses.error("rate_limited",
          "tenant " + tenant.id() + " is over its limit of " + rate + " events/s; nothing in this request was accepted"));
      return 429;
    }
    if (!accepted.isEmpty()) {
      long t0 = System.nanoTime();
      try {
        publisher.publishAll(accepted, config.produceTimeout());
      } catch (PublishFailedException e) {
        log.warn("component=gateway event=produce_failed tenant={} events={} cause=\"{}\"", tenant.id(), accepted.size(),
            e.getMessage());
        Responses.retryLater(res, 503, 2, Responses.error("unavailable",
            "Kafka or the schema registry did not acknowledge the events; nothing in this request may be considered"
                + " accepted, retry it (duplicates are dropped by event_id)"));
        return 503;
      } finally {
        metrics.produceTimer().record(Duration.ofNanos(System.nanoTime() - t0));
      }
      for (LlmCall c : accepted) {
        budget.acked(tenant.id(), c.getEventId());
      }
    }
    metrics.events(tenant.id(), "accepted", accepted.size());
    metrics.events(tenant.id(), "duplicate", duplicates);
    metrics.events(tenant.id(), "rejected", rejectedCount);
    ObjectNode answer = Json.MAPPER.createObjectNode().put("accepted", accepted.size()).put("duplicates", duplicates)
        .put("rejected_count", rejectedCount);
    answer.set("rejected", rejected);
    int status = accepted.isEmpty() && duplicates == 0 && rejectedCount > 0 ? 400 : 202;
    return decoder.respond(res, status, answer, contentType);
  }

  private ObjectNode tooLarge() {
    return Responses.error("body_too_large", "request bodies are limited to " + config.maxBodyBytes() + " bytes");
  }

  private static Optional<String> bearer(ServerRequest req) {
    return req.headers().first(HeaderNames.AUTHORIZATION)
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).trim());
  }

  private static String abbreviate(String s) {
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
