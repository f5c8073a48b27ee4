package io.spendstream.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client behaviour a real registry will not show on demand (auth headers, 5xx then success, bad
 * answers), against a real local HTTP server that plays a registry. The happy path against Apicurio
 * is in AvroSerdeIT.
 */
class SchemaRegistryClientTest {
  private static final Schema SCHEMA = new Schema.Parser().parse(
      "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
  private HttpServer server;
  private final List<String> authHeaders = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile int failFirst;
  private volatile int status = 200;
  private volatile String body = "{\"id\": 42}";

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", ex -> {
      authHeaders.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      int n = calls.incrementAndGet();
      ex.getRequestBody().readAllBytes();
      int s = n <= failFirst ? 503 : status;
      byte[] b = (n <= failFirst ? "busy" : body).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(s, b.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private SchemaRegistryClient client(Map<String, ?> extra) {
    Map<String, Object> configs = new java.util.HashMap<>(extra);
    configs.put(RegistryClientConfig.URL, url());
    RegistryClientConfig c = RegistryClientConfig.fromConfigs(configs)
        .withRetries(3, Duration.ofMillis(1), Duration.ofMillis(5));
    return new SchemaRegistryClient(c);
  }

  @Test
  void basicAuthIsSentAndNeverPrinted() {
    SchemaRegistryClient c = client(Map.of(RegistryClientConfig.BASIC_AUTH_USER_INFO, "svc:s3cret"));
    assertThat(c.register("t-value", SCHEMA)).isEqualTo(42);
    assertThat(authHeaders).containsExactly("Basic c3ZjOnMzY3JldA==");
    assertThat(c.config().toString()).doesNotContain("s3cret");
  }

  @Test
  void bearerTokenIsSent() {
    client(Map.of(RegistryClientConfig.BEARER_AUTH_TOKEN, "tok-123")).register("t-value", SCHEMA);
    assertThat(authHeaders).containsExactly("Bearer tok-123");
  }

  @Test
  void registrationsAndLookupsAreCached() {
    SchemaRegistryClient c = client(Map.of());
    c.register("t-value", SCHEMA);
    c.register("t-value", SCHEMA);
    body = "{\"schema\": " + com.fasterxml.jackson.databind.node.TextNode.valueOf(SCHEMA.toString()) + "}";
    c.schemaById(7);
    c.schemaById(7);
    assertThat(calls.get()).isEqualTo(2);
  }

  @Test
  void serverErrorsAreRetriedWithBackoff() {
    failFirst = 2;
    assertThat(client(Map.of()).register("t-value", SCHEMA)).isEqualTo(42);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void persistentServerErrorsEndAsUnavailable() {
    failFirst = 100;
    assertThatThrownBy(() -> client(Map.of()).register("t-value", SCHEMA))
        .isInstanceOf(RegistryUnavailableException.class).hasMessageContaining("after 4 attempt(s)");
    assertThat(calls.get()).isEqualTo(4);
  }

  @Test
  void clientErrorsAreNotRetriedAndMapToTypedExceptions() {
    status = 409;
    body = "{\"error_code\": 409, \"message\": \"incompatible: field y has no default\"}";
    assertThatThrownBy(() -> client(Map.of()).register("t-value", SCHEMA))
        .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining("field y has no default");
    assertThat(calls.get()).isEqualTo(1);

    status = 401;
    body = "{\"error_code\": 401, \"message\": \"Unauthorized\"}";
    assertThatThrownBy(() -> client(Map.of()).register("u-value", SCHEMA)).isInstanceOf(RegistryAuthException.class);

    status = 404;
    body = "{\"error_code\": 40403, \"message\": \"Schema 5 not found\"}";
    assertThatThrownBy(() -> client(Map.of()).schemaById(5)).isInstanceOf(SchemaNotFoundException.class)
        .satisfies(e -> assertThat(((SchemaNotFoundException) e).errorCode()).isEqualTo(40403));

    status = 422;
    body = "{\"error_code\": 42201, \"message\": \"Invalid schema\"}";
    assertThatThrownBy(() -> client(Map.of()).register("v-value", SCHEMA)).isInstanceOf(RegistryRequestException.class)
        .hasMessageContaining("42201");
  }

  @Test
  void unreachableRegistryIsUnavailableAfterRetries() {
    RegistryClientConfig c = RegistryClientConfig.of("http://127.0.0.1:1")
        .withRetries(2, Duration.ofMillis(1), Duration.ofMillis(2));
    assertThatThrownBy(() -> new SchemaRegistryClient(c).schemaById(1))
        .isInstanceOf(RegistryUnavailableException.class).hasMessageContaining("after 3 attempt(s)");
  }

  @Test
  void invalidConfigListsAllProblems() {
    assertThatThrownBy(() -> new RegistryClientConfig(List.of(java.net.URI.create("ftp://x")), null,
        Duration.ZERO, Duration.ofSeconds(1), 99, Duration.ofMillis(1), Duration.ofMillis(2)))
        .hasMessageContaining("must be http(s)").hasMessageContaining("connectTimeout")
        .hasMessageContaining("maxRetries");
    assertThatThrownBy(() -> RegistryClientConfig.fromConfigs(Map.of())).hasMessageContaining("schema.registry.url");
  }
}
