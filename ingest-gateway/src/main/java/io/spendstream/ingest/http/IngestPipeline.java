package io.spendstream.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spendstream.ingest.GatewayConfig;
import io.spendstream.ingest.GatewayMetrics;
import io.spendstream.ingest.auth.TenantKeys;
import io.spendstream.ingest.kafka.CallPublisher;
import io.spendstream.ingest.kafka.PublishFailedException;
import io.spendstream.ingest.otlp.ClaudeCodeMetrics;
import io.spendstream.ingest.otlp.OtlpMetricPoint;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.ReportedUsage;
import io.spendstream.schemas.json.FieldError;
import io.spendstream.schemas.json.Json;
import io.spendstream.schemas.json.LlmCallJson;
import io.spendstream.schemas.json.ParseOptions;
import io.spendstream.schemas.json.ParseResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every transport (HTTP endpoints, OTLP/gRPC) does with an authenticated tenant's decoded events: hold them
 * within the tenant's and the gateway's bytes in flight, refuse cross-tenant writes, validate each event, drop
 * duplicates, rate-limit, write to Kafka, and answer only after Kafka acknowledged every accepted event. Logs never
 * contain bodies, keys or prompts.
 */
public final class IngestPipeline {
  private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);
  private static final int MAX_REJECTIONS_LISTED = 1000;
  /** Usage point ids in the acknowledged-ids cache: their own namespace, apart from call event ids. */
  private static final String USAGE_IDS = "usage\u0000";

  /**
   * What a request came to: 202 (events accepted), 400 with {@code rejected_count} (read, nothing acceptable), or a
   * refusal with its JSON error; 429 and 503 say when to retry.
   */
  public record Outcome(int status, ObjectNode answer, long retryAfterSeconds) {
    static Outcome of(int status, ObjectNode answer) {
      return new Outcome(status, answer, 0);
    }

    static Outcome retry(int status, long retryAfterSeconds, ObjectNode answer) {
      long s = Math.max(1, retryAfterSeconds);
      return new Outcome(status, answer.put("retry_after_seconds", s), s);
    }

    /** The events were read and each got an answer (accepted, duplicate or rejected with its reasons). */
    public boolean readAndAnswered() {
      return answer.has("rejected_count") && (status == 202 || status == 400);
    }
  }

  private final GatewayConfig config;
  private final CallPublisher publisher;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final IngestBudget budget;

  IngestPipeline(GatewayConfig config, CallPublisher publisher, GatewayMetrics metrics, Clock clock, IngestBudget budget) {
    this.config = config;
    this.publisher = publisher;
    this.metrics = metrics;
    this.clock = clock;
    this.budget = budget;
  }

  /** Runs {@code work} holding {@code bytes} of the tenant's share (else 429) and of the gateway's (else 503). */
  Outcome withinBudget(TenantKeys.Tenant tenant, int bytes, Supplier<Outcome> work) {
    // a tenant's own share first: one tenant's slow uploads cannot hold the whole budget and starve the others
    Semaphore tenantBytes = budget.tenantInFlight(tenant.id());
    if (!tenantBytes.tryAcquire(bytes)) {
      return Outcome.retry(429, 1, Responses.error("tenant_busy", "tenant " + tenant.id() + " has "
          + budget.perTenantInFlightBytes() + " bytes of requests in flight already; retry shortly"));
    }
    try {
      if (!budget.inFlightBytes.tryAcquire(bytes)) {
        return Outcome.retry(503, 1, Responses.error("busy", "the gateway is at its in-flight limit; retry shortly"));
      }
      metrics.inFlightBytes().addAndGet(bytes);
      try {
        return work.get();
      } finally {
        budget.inFlightBytes.release(bytes);
        metrics.inFlightBytes().addAndGet(-bytes);
      }
    } finally {
      tenantBytes.release(bytes);
    }
  }

  ObjectNode tooLarge() {
    return Responses.error("body_too_large", "request bodies are limited to " + config.maxBodyBytes() + " bytes");
  }

  /** From decoded events to the answer. */
  Outcome process(TenantKeys.Tenant tenant, List<BatchReader.Item> items) {
    if (items.size() > config.maxBatchEvents()) {
      return Outcome.of(413, Responses.error("batch_too_large", "at most " + config.maxBatchEvents()
          + " events per request, got " + items.size()));
    }
    for (BatchReader.Item item : items) {
      JsonNode t = item.json() == null ? null : item.json().get("tenant_id");
      if (t != null && t.isTextual() && !t.textValue().equals(tenant.id())) {
        ObjectNode err = Responses.error("forbidden", "event " + item.index() + " names another tenant than the API key's;"
            + " nothing in this request was accepted");
        log.warn("component=gateway event=cross_tenant_write key_tenant={} index={}", tenant.id(), item.index());
        return Outcome.of(403, err.put("index", item.index()).put("field", "tenant_id"));
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
    // from here on only the calls are needed: let the decoded trees go before waiting for Kafka (half of a request's
    // heap; GatewayMemoryIT measures what is left)
    items = null;
    return deliver(tenant, new Counted<>(accepted, duplicates, rejectedCount, rejected), publisher::publishAll,
        LlmCall::getEventId);
  }

  /**
   * Usage points an emitter counted itself (Claude Code's metrics): checked for time like calls, deduplicated by
   * their point id, rate-limited like events, written to the usage topic; never calls.
   */
  Outcome processUsage(TenantKeys.Tenant tenant, List<OtlpMetricPoint> points) {
    ArrayNode rejected = Json.MAPPER.createArrayNode();
    int rejectedCount = 0;
    int duplicates = 0;
    List<ReportedUsage> accepted = new ArrayList<>();
    Set<String> seenInBatch = new HashSet<>();
    Instant receivedAt = clock.instant();
    Instant oldest = receivedAt.minus(config.maxEventAge());
    Instant newest = receivedAt.plus(config.maxEventFuture());
    for (int i = 0; i < points.size(); i++) {
      ClaudeCodeMetrics.Mapped m = ClaudeCodeMetrics.map(points.get(i), tenant.id(), receivedAt);
      FieldError error = switch (m) {
        case ClaudeCodeMetrics.Mapped.Ignored ignored -> {
          metrics.metricPointIgnored(ignored.label());
          yield null;
        }
        case ClaudeCodeMetrics.Mapped.Rejected r -> new FieldError(r.field(), r.message());
        case ClaudeCodeMetrics.Mapped.Usage u -> u.usage().getTime().isBefore(oldest)
            ? new FieldError("time_unix_nano", "older than the gateway accepts (" + config.maxEventAge() + ")")
            : u.usage().getTime().isAfter(newest)
                ? new FieldError("time_unix_nano", "more than " + config.maxEventFuture() + " in the future") : null;
      };
      if (error != null) {
        rejectedCount++;
        if (rejected.size() < MAX_REJECTIONS_LISTED) {
          rejected.addObject().put("index", i).put("field", error.field()).put("error", error.error());
        }
      } else if (m instanceof ClaudeCodeMetrics.Mapped.Usage u) {
        String id = u.usage().getEventId();
        if (!seenInBatch.add(id) || budget.recentlyAcked(tenant.id(), USAGE_IDS + id)) {
          duplicates++;
        } else {
          accepted.add(u.usage());
        }
      }
    }
    points = null; // only the usage records are needed while Kafka is awaited (GatewayMemoryIT)
    return deliver(tenant, new Counted<>(accepted, duplicates, rejectedCount, rejected), publisher::publishUsage,
        u -> USAGE_IDS + u.getEventId());
  }

  /** What a request's records came to before the rate limit and Kafka. */
  private record Counted<T>(List<T> accepted, int duplicates, int rejectedCount, ArrayNode rejected) {}

  private interface Publish<T> {
    void publish(List<T> records, Duration timeout) throws PublishFailedException;
  }

  /** Rate limit, write to Kafka, remember the acknowledged ids, answer. */
  private <T> Outcome deliver(TenantKeys.Tenant tenant, Counted<T> c, Publish<T> publish, Function<T, String> ackedId) {
    List<T> accepted = c.accepted();
    int duplicates = c.duplicates();
    int rejectedCount = c.rejectedCount();
    long rate = tenant.rateLimitPerSecond() > 0 ? tenant.rateLimitPerSecond() : config.defaultRateLimitPerSecond();
    // every event read costs the tenant's budget, accepted or not: a flood of invalid or repeated events is not free
    int charged = accepted.size() + duplicates + rejectedCount;
    if (charged > rate) {
      return Outcome.of(413, Responses.error("batch_exceeds_rate_limit", "a batch of " + charged
          + " events exceeds the tenant's rate limit of " + rate + " events/s; send smaller batches"));
    }
    Optional<Duration> wait = charged == 0 ? Optional.empty() : budget.rateLimiter.tryAcquire(tenant.id(), rate, charged);
    if (wait.isPresent()) {
      return Outcome.retry(429, (wait.get().toMillis() + 999) / 1000, Responses.error("rate_limited",
          "tenant " + tenant.id() + " is over its limit of " + rate + " events/s; nothing in this request was accepted"));
    }
    if (!accepted.isEmpty()) {
      long t0 = System.nanoTime();
      try {
        publish.publish(accepted, config.produceTimeout());
      } catch (PublishFailedException e) {
        log.warn("component=gateway event=produce_failed tenant={} events={} cause=\"{}\"", tenant.id(), accepted.size(),
            e.getMessage());
        return Outcome.retry(503, 2, Responses.error("unavailable",
            "Kafka or the schema registry did not acknowledge the events; nothing in this request may be considered"
                + " accepted, retry it (duplicates are dropped by event_id)"));
      } finally {
        metrics.produceTimer().record(Duration.ofNanos(System.nanoTime() - t0));
      }
      for (T r : accepted) {
        budget.acked(tenant.id(), ackedId.apply(r));
      }
    }
    metrics.events(tenant.id(), "accepted", accepted.size());
    metrics.events(tenant.id(), "duplicate", duplicates);
    metrics.events(tenant.id(), "rejected", rejectedCount);
    ObjectNode answer = Json.MAPPER.createObjectNode().put("accepted", accepted.size()).put("duplicates", duplicates)
        .put("rejected_count", rejectedCount);
    answer.set("rejected", c.rejected());
    return Outcome.of(accepted.isEmpty() && duplicates == 0 && rejectedCount > 0 ? 400 : 202, answer);
  }

}
