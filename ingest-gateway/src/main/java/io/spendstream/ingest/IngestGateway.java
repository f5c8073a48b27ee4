package io.spendstream.ingest;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.spendstream.ingest.auth.ReloadingTenantKeys;
import io.spendstream.ingest.http.EventsHandler;
import io.spendstream.ingest.http.Readiness;
import io.spendstream.ingest.kafka.CallPublisher;
import io.spendstream.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's wiring: Helidon SE web server (virtual thread per request), routes, and the Kafka
 * publisher. {@link #close()} stops accepting, lets requests in flight finish (their produces drain),
 * then closes the producer.
 */
public final class IngestGateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IngestGateway.class);
  private final WebServer server;
  private final CallPublisher publisher;
  private final ReloadingTenantKeys keys;
  private final Readiness readiness;

  private IngestGateway(WebServer server, CallPublisher publisher, ReloadingTenantKeys keys, Readiness readiness) {
    this.server = server;
    this.publisher = publisher;
    this.keys = keys;
    this.readiness = readiness;
  }

  public static IngestGateway start(GatewayConfig c) {
    ReloadingTenantKeys keys = new ReloadingTenantKeys(c.keysFile(), Duration.ofSeconds(2));
    CallPublisher publisher = new CallPublisher(c.kafkaBootstrap(), c.registryUrl(), c.topic(), c.produceTimeout());
    Readiness readiness = new Readiness(c.kafkaBootstrap(), c.registryUrl());
    GatewayMetrics metrics = new GatewayMetrics();
    EventsHandler events = EventsHandler.events(c, keys, publisher, metrics, Clock.systemUTC());
    EventsHandler cloudEvents = EventsHandler.cloudEvents(c, keys, publisher, metrics, Clock.systemUTC());
    EventsHandler otlp = EventsHandler.otlpTraces(c, keys, publisher, metrics, Clock.systemUTC());
    WebServer server = WebServer.builder()
        .host(c.host())
        .port(c.port())
        // the handler enforces the body limit itself, so the answer is our JSON 413, not the server's
        .maxPayloadSize(-1)
        .shutdownGracePeriod(c.shutdownGrace())
        .shutdownHook(false)
        .routing(r -> r
            .post("/v1/events", events)
            .post("/v1/cloudevents", cloudEvents)
            .post("/v1/otlp/v1/traces", otlp)
            .get("/healthz", (req, res) -> json(res, 200, "{\"status\":\"ok\"}"))
            .get("/readyz", (req, res) -> {
              Readiness.State s = readiness.check();
              json(res, s.ready() ? 200 : 503, Json.MAPPER.createObjectNode().put("ready", s.ready())
                  .put("kafka", s.kafka()).put("schema_registry", s.registry()).toString());
            })
            .get("/metrics", (req, res) -> {
              res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
              res.send(metrics.scrape().getBytes(StandardCharsets.UTF_8));
            })
            .error(Throwable.class, (req, res, t) -> {
              log.error("component=gateway event=unexpected_error path={}", req.path().path(), t);
              json(res, 500, "{\"error\":\"internal\",\"message\":\"unexpected error; see the gateway log\"}");
            }))
        .build()
        .start();
    log.info("component=gateway event=listening url=http://{}:{} topic={} kafka={} registry={}", c.host(), server.port(),
        c.topic(), c.kafkaBootstrap(), c.registryUrl());
    return new IngestGateway(server, publisher, keys, readiness);
  }

  private static void json(io.helidon.webserver.http.ServerResponse res, int status, String body) {
    res.status(io.helidon.http.Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(body.getBytes(StandardCharsets.UTF_8));
  }

  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    log.info("component=gateway event=stopping");
    server.stop(); // waits up to the shutdown grace period for requests in flight
    publisher.close();
    readiness.close();
    keys.close();
    log.info("component=gateway event=stopped");
  }
}
