package io.spendstream.ingest.http;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.spendstream.ingest.GatewayConfig;
import io.spendstream.ingest.GatewayMetrics;
import io.spendstream.ingest.auth.ReloadingTenantKeys;
import io.spendstream.ingest.auth.TenantKeys;
import io.spendstream.ingest.kafka.CallPublisher;
import io.spendstream.ingest.otlp.OtlpAnswers;
import io.spendstream.ingest.otlp.OtlpLogs;
import io.spendstream.ingest.otlp.OtlpMetrics;
import io.spendstream.ingest.otlp.OtlpSpans;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC (the logs, metrics and trace services; the default protocol of many exporters, Claude Code's included) beside
 * OTLP/HTTP, through the same {@link IngestPipeline}: the same API keys ({@code authorization: Bearer <key>} in the
 * call's metadata, as {@code OTEL_EXPORTER_OTLP_HEADERS} sends it), limits, dedupe and answers. Outcomes map to gRPC as
 * the OTLP specification asks: accepted (some rejected) = OK with partial_success; nothing acceptable or malformed =
 * INVALID_ARGUMENT; over the rate limit = RESOURCE_EXHAUSTED with RetryInfo; Kafka or the in-flight budget unavailable
 * = UNAVAILABLE (both retried by OTLP exporters).
 */
public final class OtlpGrpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OtlpGrpcServer.class);
  private static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<TenantKeys.Tenant> TENANT = Context.key("spendstream-tenant");
  /** Requests being decoded and processed at once: with the message size limit, what bounds the heap they take. */
  private static final int WORKERS = 8;

  private final Server server;
  private final ExecutorService workers;

  private OtlpGrpcServer(Server server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  public static OtlpGrpcServer start(GatewayConfig config, int port, ReloadingTenantKeys keys, CallPublisher publisher,
      GatewayMetrics metrics, Clock clock, IngestBudget budget) {
    IngestPipeline pipeline = new IngestPipeline(config, publisher, metrics, clock, budget);
    ServerInterceptor auth = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Optional<TenantKeys.Tenant> tenant = Optional.ofNullable(headers.get(AUTHORIZATION))
            .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7)).map(h -> h.substring(7).trim()).flatMap(keys::authenticate);
        if (tenant.isEmpty()) {
          metrics.request("otlp_grpc", 401);
          call.close(Status.UNAUTHENTICATED.withDescription("missing or unknown API key; send the metadata"
              + " authorization: Bearer <key> (OTEL_EXPORTER_OTLP_HEADERS=\"Authorization=Bearer <key>\")"), new Metadata());
          return new ServerCall.Listener<>() {};
        }
        return Contexts.interceptCall(Context.current().withValue(TENANT, tenant.get()), call, headers, next);
      }
    };
    ExecutorService workers = Executors.newFixedThreadPool(WORKERS, Thread.ofPlatform().name("otlp-grpc-", 0).factory());
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), port))
        .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes()))
        // a connection may not queue more requests than there are workers to decode them
        .maxConcurrentCallsPerConnection(WORKERS)
        .executor(workers)
        .addService(ServerInterceptors.intercept(new LogsServiceGrpc.LogsServiceImplBase() {
          @Override
          public void export(ExportLogsServiceRequest request, StreamObserver<ExportLogsServiceResponse> out) {
            IngestPipeline.Outcome o = ingest(pipeline, request.getSerializedSize(), tenant -> pipeline.process(tenant,
                OtlpDecoder.logItems(OtlpLogs.fromRequest(request, OtlpSpans.Limits.of(config.maxBatchEvents())), metrics)));
            reply(o, OtlpAnswers.Signal.LOGS, out, metrics, "otlp_grpc_logs");
          }
        }, auth))
        .addService(ServerInterceptors.intercept(new MetricsServiceGrpc.MetricsServiceImplBase() {
          @Override
          public void export(ExportMetricsServiceRequest request, StreamObserver<ExportMetricsServiceResponse> out) {
            IngestPipeline.Outcome o = ingest(pipeline, request.getSerializedSize(), tenant -> pipeline.processUsage(tenant,
                OtlpMetrics.fromRequest(request, OtlpSpans.Limits.of(config.maxBatchEvents()))));
            reply(o, OtlpAnswers.Signal.METRICS, out, metrics, "otlp_grpc_metrics");
          }
        }, auth))
        .addService(ServerInterceptors.intercept(new TraceServiceGrpc.TraceServiceImplBase() {
          @Override
          public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> out) {
            IngestPipeline.Outcome o = ingest(pipeline, request.getSerializedSize(), tenant -> pipeline.process(tenant,
                OtlpDecoder.spanItems(OtlpSpans.fromRequest(request, OtlpSpans.Limits.of(config.maxBatchEvents())))));
            reply(o, OtlpAnswers.Signal.TRACES, out, metrics, "otlp_grpc_traces");
          }
        }, auth))
        .build();
    try {
      server.start();
    } catch (IOException e) {
      workers.shutdownNow();
      throw new UncheckedIOException("OTLP/gRPC cannot listen on " + config.host() + ":" + port + ": " + e.getMessage(), e);
    }
    log.info("component=gateway event=otlp_grpc_listening address={}:{}", config.host(), server.getPort());
    return new OtlpGrpcServer(server, workers);
  }

  /** A parsed request, decoded and run through the pipeline for the calling tenant. */
  private interface Decoding {
    IngestPipeline.Outcome ingest(TenantKeys.Tenant tenant) throws OtlpSpans.TooManySpans, OtlpSpans.OverLimits;
  }

  /** The calling tenant's request through the pipeline, holding its size of the in-flight budgets. */
  private static IngestPipeline.Outcome ingest(IngestPipeline pipeline, int bytes, Decoding decoding) {
    TenantKeys.Tenant tenant = TENANT.get();
    return pipeline.withinBudget(tenant, bytes, () -> {
      try {
        return decoding.ingest(tenant);
      } catch (OtlpSpans.TooManySpans e) {
        return IngestPipeline.Outcome.of(413, Responses.error("batch_too_large", e.getMessage()));
      } catch (OtlpSpans.OverLimits e) {
        return IngestPipeline.Outcome.of(400, Responses.error("malformed", e.getMessage()));
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static <R extends Message> void reply(IngestPipeline.Outcome o, OtlpAnswers.Signal signal, StreamObserver<R> out,
      GatewayMetrics metrics, String endpoint) {
    metrics.request(endpoint, o.status());
    int rejected = o.answer().path("rejected_count").asInt(0);
    String details = o.answer().has("rejected") ? o.answer().get("rejected").toString() : "";
    if (o.readAndAnswered() && o.status() == 202) {
      out.onNext((R) OtlpAnswers.protobuf(signal, rejected, OtlpAnswers.rejectionMessage(signal, rejected, details)));
      out.onCompleted();
      return;
    }
    String message = o.readAndAnswered() ? OtlpAnswers.rejectionMessage(signal, rejected, details)
        : o.answer().path("message").asText(o.answer().toString());
    Code code = switch (o.status()) {
      case 403 -> Code.PERMISSION_DENIED;
      case 429 -> Code.RESOURCE_EXHAUSTED;
      case 503 -> Code.UNAVAILABLE;
      default -> Code.INVALID_ARGUMENT; // 400, 413: the same request would fail again
    };
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder().setCode(code.getNumber()).setMessage(message);
    if (o.retryAfterSeconds() > 0) { // OTLP exporters retry RESOURCE_EXHAUSTED only when RetryInfo says when
      status.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(com.google.protobuf.Duration.newBuilder()
          .setSeconds(o.retryAfterSeconds())).build()));
    }
    out.onError(StatusProto.toStatusRuntimeException(status.build()));
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
  }
}
