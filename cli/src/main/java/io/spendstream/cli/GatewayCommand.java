package io.spendstream.cli;

import io.spendstream.ingest.GatewayConfig;
import io.spendstream.ingest.IngestGateway;
import io.spendstream.ingest.auth.KeysFileEditor;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream gateway}: the ingest gateway in the foreground; {@code gateway keygen} makes API keys. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = {"Runs the ingest gateway (POST /v1/events, /v1/cloudevents, OTLP/HTTP /v1/logs and /v1/traces,",
        "OTLP/gRPC on --grpc-port; /healthz, /readyz; /metrics on --ops-port) until Ctrl-C;",
        "Ctrl-C stops accepting, lets requests in flight finish and drains Kafka produces."},
    subcommands = GatewayCommand.Keygen.class)
final class GatewayCommand implements Callable<Integer> {
  /**
   * Bodies become trees and calls in memory, several times their size: measured (GatewayMemoryIT), heap / 32 of
   * bytes in flight keeps the live heap of a 512 MiB gateway at about half under parallel worst-case requests.
   */
  static final long IN_FLIGHT_PER_HEAP = 32;
  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "8088", description = "HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--ops-port", defaultValue = "8094", description = "Operators' port for /metrics (per-tenant labels),"
      + " /healthz and /readyz; never served on --port, which tenants reach (default: ${DEFAULT-VALUE}; 0 = any free"
      + " port, -1 = off).")
  int opsPort;

  @Option(names = "--grpc-port", defaultValue = "4317", description = "OTLP/gRPC port (logs and traces, e.g. from Claude"
      + " Code with OTEL_EXPORTER_OTLP_PROTOCOL=grpc; default: ${DEFAULT-VALUE}, the standard one; 0 = any free port,"
      + " -1 = off).")
  int grpcPort;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--keys", description = "Tenant keys file (default: .spendstream/gateway-keys.yaml).")
  Path keys;

  @Mixin
  ConnectOptions connect;

  @Option(names = "--topic", defaultValue = "llm.calls.v1", description = "Topic to write calls to (default: ${DEFAULT-VALUE}); reported usage"
      + " (OTLP metrics) goes to usage.reported.v1 with the same suffix, or <topic>.usage-reported.")
  String topic;

  @Option(names = "--max-body-bytes", defaultValue = "5242880", description = "Largest request body (default: ${DEFAULT-VALUE}).")
  long maxBody;

  @Option(names = "--max-batch", defaultValue = "10000", description = "Most events per request (default: ${DEFAULT-VALUE}).")
  int maxBatch;

  @Option(names = "--max-inflight-bytes", defaultValue = "0",
      description = "Request bytes processed at once before answering 503; a tenant may use a quarter of it (default: the"
          + " heap / " + IN_FLIGHT_PER_HEAP + ", 16 MiB in the 512 MiB 'up' gives it; see docs/security.md).")
  long maxInFlight;

  @Option(names = "--rate-limit", defaultValue = "10000",
      description = "Events per second per tenant unless the keys file says otherwise (default: ${DEFAULT-VALUE}).")
  long rateLimit;

  @Option(names = "--produce-timeout", defaultValue = "PT10S",
      description = "How long a request waits for Kafka's acks before 503 (default: ${DEFAULT-VALUE}).")
  Duration produceTimeout;

  static Path defaultKeys() {
    return Repo.defaultStateDir().resolve(Repo.KEYS_FILE);
  }

  @Override
  public Integer call() throws InterruptedException {
    Path keysFile = keys == null ? defaultKeys() : keys;
    if (!Files.isRegularFile(keysFile)) {
      throw new IllegalArgumentException("no tenant keys file at " + keysFile + "; create a key with"
          + " 'spendstream gateway keygen --tenant <id>'");
    }
    GatewayConfig d = GatewayConfig.defaults(port, keysFile, connect.kafka, connect.registry);
    if (maxInFlight == 0) { // bodies become trees and calls in memory: bound the bytes in flight by the heap
      maxInFlight = Math.max(maxBody, Runtime.getRuntime().maxMemory() / IN_FLIGHT_PER_HEAP);
    }
    GatewayConfig c = d.toBuilder().host(host).topic(topic).maxBodyBytes(maxBody).maxBatchEvents(maxBatch)
        .maxInFlightBytes(maxInFlight).produceTimeout(produceTimeout).defaultRateLimitPerSecond(rateLimit).build();
    IngestGateway gateway = IngestGateway.start(c, opsPort, grpcPort);
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      gateway.close();
      stopped.countDown();
    }, "gateway-stop"));
    out.printf("gateway ready on http://%s:%d, OTLP/gRPC on port %d  (keys %s, Kafka %s; metrics on port %d)%n", host,
        gateway.port(), gateway.grpcPort(), keysFile, connect.kafka, gateway.opsPort());
    out.printf("  curl -H 'Authorization: Bearer <key>' -H 'Content-Type: application/json' --data @event.json http://%s:%d/v1/events%n",
        host, gateway.port());
    out.flush();
    stopped.await();
    return 0;
  }

  /** {@code spendstream gateway keygen --tenant T}. */
  @Command(name = "keygen", mixinStandardHelpOptions = true,
      description = {"Creates an API key for a tenant, stores only its SHA-256 in the keys file and prints the key once.",
          "A tenant may hold several keys: add the new one, move clients over, then delete the old hash (rotation).",
          "A running gateway picks the change up within seconds, without restart."})
  static final class Keygen implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--tenant", required = true, description = "Tenant id.")
    String tenant;

    @Option(names = "--keys", description = "Tenant keys file (default: .spendstream/gateway-keys.yaml).")
    Path keys;

    @Override
    public Integer call() {
      Path file = keys == null ? defaultKeys() : keys;
      String key = KeysFileEditor.addKey(file, tenant);
      PrintWriter out = spec.commandLine().getOut();
      out.println(key);
      spec.commandLine().getErr().printf("stored the SHA-256 of this key for tenant %s in %s; the key itself is shown only now%n",
          tenant, file);
      return 0;
    }
  }
}
