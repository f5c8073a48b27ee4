package io.spendstream.ingest;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.spendstream.ingest.auth.ReloadingTenantKeys;
import io.spendstream.ingest.http.EventsHandler;
import io.spendstream.ingest.http.OtlpGrpcServer;
import io.spendstream.ingest.http.IngestBudget;
import io.spendstream.ingest.http.Readiness;
import io.spendstream.ingest.kafka.CallPublisher;
import io.spendstream.ops.OpsServer;
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
  private final OpsServer ops;
  private final OtlpGrpcServer grpc;

  private IngestGateway(WebServer server, CallPublisher publisher, ReloadingTenantKeys keys, Readiness readiness, OpsServer ops,
      OtlpGrpcServer grpc) {
    this.ops = ops;
    this.grpc = grpc;
    this.server = server;
    this.publisher = publisher;
    this.keys = keys;
    this.readiness = readiness;
  }

  /** Without an ops port: metrics are then not served at all (tests, embedded use). */
  public static IngestGateway start(GatewayConfig c) {
    return start(c, -1);
  }

  /**
   * @param opsPort where {@code /metrics} (with per-tenant labels), {@code /healthz} and {@code /readyz} are served
   *     for operators, on the gateway's host; never on the ingest port, which every tenant reaches. 0 = any free
   *     port, -1 = none
   */
  public static IngestGateway start(GatewayConfig c, int opsPort) {
    return start(c, opsPort, -1);
  }

  /**
   * @param opsPort as in {@link #start(GatewayConfig, int)}
   * @param grpcPort where OTLP/gRPC is served (the standard port is 4317); 0 = any free port, -1 = none
   */
  public static IngestGateway start(GatewayConfig c, int opsPort, int grpcPort) {
    ReloadingTenantKeys keys = new ReloadingTenantKeys(c.keysFile(), Duration.ofSeconds(2));
    CallPublisher publisher = new CallPublisher(c.kafkaBootstrap(), c.registryUrl(), c.topic(), c.usageTopic(),
        c.produceTimeout());
    publisher.startTicks(Duration.ofSeconds(1));
    Readiness readiness = new Readiness(c.kafkaBootstrap(), c.registryUrl());
    GatewayMetrics metrics = new GatewayMetrics();
    IngestBudget budget = new IngestBudget(c); // one budget for all endpoints
    EventsHandler events = EventsHandler.events(c, keys, publisher, metrics, Clock.systemUTC(), budget);
    EventsHandler cloudEvents = EventsHandler.cloudEvents(c, keys, publisher, metrics, Clock.systemUTC(), budget);
    EventsHandler otlp = EventsHandler.otlpTraces(c, keys, publisher, metrics, Clock.systemUTC(), budget);
    EventsHandler otlpLogs = EventsHandler.otlpLogs(c, keys, publisher, metrics, Clock.systemUTC(), budget);
    EventsHandler otlpMetrics = EventsHandler.otlpMetrics(c, keys, publisher, metrics, Clock.systemUTC(), budget);
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
            // OTLP/HTTP at the standard signal paths, so OTEL_EXPORTER_OTLP_ENDPOINT=http://<gateway> works as is,
            // and under /v1/otlp as before
            .post("/v1/traces", otlp)
            .post("/v1/otlp/v1/traces", otlp)
            .post("/v1/logs", otlpLogs)
            .post("/v1/otlp/v1/logs", otlpLogs)
            .post("/v1/metrics", otlpMetrics)
            .post("/v1/otlp/v1/metrics", otlpMetrics)
            .get("/healthz", (req, res) -> json(res, 200, "{\"status\":\"ok\"}"))
            .get("/readyz", (req, res) -> {
              Readiness.State s = readiness.check();
              json(res, s.ready() ? 200 : 503, Json.MAPPER.createObjectNode().put("ready", s.ready())
                  .put("kafka", s.kafka()).put("schema_registry", s.registry()).toString());
            })
            .error(Throwable.class, (req, res, t) -> {
              log.error("component=gateway event=unexpected_error path={}", req.path().path(), t);
              json(res, 500, "{\"error\":\"internal\",\"message\":\"unexpected error; see the gateway log\"}");
            }))
        .build()
        .start();
    OpsServer ops = opsPort < 0 ? null : OpsServer.start(c.host(), opsPort, () -> true, () -> readiness.check().ready(),
        () -> readiness.check().ready() ? "RUNNING" : "NOT_READY", metrics::scrape);
    OtlpGrpcServer grpc;
    try {
      grpc = grpcPort < 0 ? null : OtlpGrpcServer.start(c, grpcPort, keys, publisher, metrics, Clock.systemUTC(), budget);
    } catch (RuntimeException e) { // e.g. the port is taken: nothing of this gateway stays running
      new IngestGateway(server, publisher, keys, readiness, ops, null).close();
      throw e;
    }
    log.info("component=gateway event=listening url=http://{}:{} ops_port={} otlp_grpc_port={} topic={} kafka={} registry={}",
        c.host(), server.port(), ops == null ? "none" : ops.port(), grpc == null ? "none" : grpc.port(), c.topic(),
        c.kafkaBootstrap(), c.registryUrl());
    return new IngestGateway(server, publisher, keys, readiness, ops, grpc);
  }

  private static void json(io.helidon.webserver.http.ServerResponse res, int status, String body) {
    res.status(io.helidon.http.Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(body.getBytes(StandardCharsets.UTF_8));
  }

  public int port() {
    return server.port();
  }

  /** The OTLP/gRPC port, or -1 when there is none. */
  public int grpcPort() {
    return grpc == null ? -1 : grpc.port();
  }

  /** The operators' port (metrics), or -1 when there is none. */
  public int opsPort() {
    return ops == null ? -1 : ops.port();
  }

  @Override
  public void close() {
    log.info("component=gateway event=stopping");
    server.stop(); // waits up to the shutdown grace period for requests in flight
    if (grpc != null) {
      grpc.close();
    }
    if (ops != null) {
      ops.close();
    }
    publisher.close();
    readiness.close();
    keys.close();
    log.info("component=gateway event=stopped");
  }
}
