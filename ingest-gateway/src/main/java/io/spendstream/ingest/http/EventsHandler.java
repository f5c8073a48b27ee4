package io.spendstream.ingest.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.spendstream.ingest.GatewayConfig;
import io.spendstream.ingest.GatewayMetrics;
import io.spendstream.ingest.auth.ReloadingTenantKeys;
import io.spendstream.ingest.auth.TenantKeys;
import io.spendstream.ingest.kafka.CallPublisher;
import io.spendstream.ingest.otlp.OtlpAnswers;
import io.spendstream.ingest.otlp.OtlpMetricPoint;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * One HTTP ingest endpoint ({@code /v1/events}, {@code /v1/cloudevents}, OTLP/HTTP): authenticate, check the media
 * type and declared length, read and decode the body within the in-flight budgets, then the shared
 * {@link IngestPipeline} (tenancy, validation, dedupe, rate limit, Kafka) and the endpoint's own answer.
 */
public final class EventsHandler implements Handler {
  private final String endpoint;
  private final BodyDecoder decoder;
  private final GatewayConfig config;
  private final ReloadingTenantKeys keys;
  private final GatewayMetrics metrics;
  private final IngestPipeline pipeline;

  private EventsHandler(String endpoint, BodyDecoder decoder, GatewayConfig config, ReloadingTenantKeys keys,
      CallPublisher publisher, GatewayMetrics metrics, Clock clock, IngestBudget budget) {
    this.endpoint = endpoint;
    this.decoder = decoder;
    this.config = config;
    this.keys = keys;
    this.metrics = metrics;
    this.pipeline = new IngestPipeline(config, publisher, metrics, clock, budget);
  }

  /** POST /v1/events. */
  public static EventsHandler events(GatewayConfig c, ReloadingTenantKeys k, CallPublisher p, GatewayMetrics m, Clock clock,
      IngestBudget budget) {
    return new EventsHandler("events", BodyDecoder.EVENTS, c, k, p, m, clock, budget);
  }

  /** POST /v1/traces (and /v1/otlp/v1/traces). */
  public static EventsHandler otlpTraces(GatewayConfig c, ReloadingTenantKeys k, CallPublisher p, GatewayMetrics m,
      Clock clock, IngestBudget budget) {
    return new EventsHandler("otlp_traces", new OtlpDecoder(OtlpAnswers.Signal.TRACES, m), c, k, p, m, clock, budget);
  }

  /** POST /v1/logs (and /v1/otlp/v1/logs). */
  public static EventsHandler otlpLogs(GatewayConfig c, ReloadingTenantKeys k, CallPublisher p, GatewayMetrics m,
      Clock clock, IngestBudget budget) {
    return new EventsHandler("otlp_logs", new OtlpDecoder(OtlpAnswers.Signal.LOGS, m), c, k, p, m, clock, budget);
  }

  /** POST /v1/metrics (and /v1/otlp/v1/metrics): reported usage, not calls. */
  public static EventsHandler otlpMetrics(GatewayConfig c, ReloadingTenantKeys k, CallPublisher p, GatewayMetrics m,
      Clock clock, IngestBudget budget) {
    return new EventsHandler("otlp_metrics", new OtlpDecoder(OtlpAnswers.Signal.METRICS, m), c, k, p, m, clock, budget);
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
      Responses.send(res, 413, pipeline.tooLarge());
      return 413;
    }
    int reserve = (int) (declared >= 0 ? declared : config.maxBodyBytes());
    IngestPipeline.Outcome o = pipeline.withinBudget(tenant.get(), reserve, () -> read(req, tenant.get(), contentType));
    if (o.readAndAnswered()) {
      return decoder.respond(res, o.status(), o.answer(), contentType);
    }
    if (o.retryAfterSeconds() > 0) {
      Responses.retryLater(res, o.status(), o.retryAfterSeconds(), o.answer());
    } else {
      Responses.send(res, o.status(), o.answer());
    }
    return o.status();
  }

  private IngestPipeline.Outcome read(ServerRequest req, TenantKeys.Tenant tenant, String contentType) {
    byte[] body;
    try (InputStream in = req.content().inputStream()) {
      body = in.readNBytes((int) config.maxBodyBytes() + 1);
    } catch (IOException | RuntimeException e) {
      return IngestPipeline.Outcome.of(400, Responses.error("unreadable_body", "could not read the request body"));
    }
    if (body.length > config.maxBodyBytes()) {
      return IngestPipeline.Outcome.of(413, pipeline.tooLarge());
    }
    try {
      // only the decoded records are needed once decoded: the body goes (GatewayMemoryIT measures what is left)
      if (decoder instanceof OtlpDecoder otlp && otlp.isMetrics()) {
        List<OtlpMetricPoint> points = otlp.decodeMetrics(body, contentType, config.maxBatchEvents());
        body = null;
        return pipeline.processUsage(tenant, points);
      }
      List<BatchReader.Item> items = decoder.decode(body, contentType, config.maxBatchEvents());
      body = null;
      return pipeline.process(tenant, items);
    } catch (BatchReader.MalformedBody e) {
      return IngestPipeline.Outcome.of(400, Responses.error("malformed_json", e.getMessage()));
    } catch (BatchReader.TooManyItems e) {
      return IngestPipeline.Outcome.of(413, Responses.error("batch_too_large", e.getMessage()));
    }
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
