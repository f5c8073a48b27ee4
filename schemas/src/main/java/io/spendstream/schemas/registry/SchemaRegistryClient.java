package io.spendstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client for the documented Confluent Schema Registry REST API, so it works against Confluent,
 * Apicurio (ccompat), Karapace and Redpanda. Caches id -> schema and (subject, schema) -> id; both
 * are immutable facts in a registry, so the caches never expire. Thread-safe.
 *
 * <p>Retries connection failures, timeouts, 429 and 5xx with exponential backoff and jitter, across
 * the configured URLs; never retries other 4xx answers.
 */
public final class SchemaRegistryClient {
  private static final Logger log = LoggerFactory.getLogger(SchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClientConfig config;
  private final HttpClient http;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  private record SubjectSchema(String subject, String canonicalSchema) {}

  public SchemaRegistryClient(RegistryClientConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  public RegistryClientConfig config() {
    return config;
  }

  /** Registers the schema under the subject (idempotent: an identical schema returns its existing id). */
  public int register(String subject, Schema schema) {
    return idFor(subject, schema, "/subjects/" + enc(subject) + "/versions");
  }

  /** The id of a schema already registered under the subject, without registering it. */
  public int idOf(String subject, Schema schema) {
    return idFor(subject, schema, "/subjects/" + enc(subject));
  }

  private int idFor(String subject, Schema schema, String path) {
    SubjectSchema key = new SubjectSchema(subject, schema.toString());
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    JsonNode resp = send("POST", path, JSON.createObjectNode().put("schema", schema.toString()), subject);
    int id = resp.path("id").asInt(-1);
    if (id < 0) {
      throw new RegistryRequestException("registry answered " + path + " without an id: " + resp, 200, 0);
    }
    idsBySubjectSchema.put(key, id);
    schemasById.putIfAbsent(id, schema);
    log.debug("event=schema_id subject={} id={}", subject, id);
    return id;
  }

  /** The schema a writer registered under this id. */
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode resp = send("GET", "/schemas/ids/" + id, null, "schema id " + id);
    String type = resp.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw new RegistryRequestException("schema id " + id + " is of type " + type + ", not AVRO", 200, 0);
    }
    Schema schema = new Schema.Parser().parse(resp.path("schema").asText());
    schemasById.putIfAbsent(id, schema);
    return schema;
  }

  /** Whether the schema may be registered under the subject according to its compatibility rule. */
  public boolean isCompatible(String subject, Schema schema) {
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    try {
      JsonNode resp = send("POST", "/compatibility/subjects/" + enc(subject) + "/versions/latest", body, subject);
      return resp.path("is_compatible").asBoolean(false);
    } catch (SchemaNotFoundException noSubjectYet) {
      return true;
    }
  }

  /** Sets the compatibility level (e.g. BACKWARD) globally when subject is null, else for the subject. */
  public void setCompatibility(String subject, String level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level);
    send("PUT", subject == null ? "/config" : "/config/" + enc(subject), body, subject == null ? "global config" : subject);
  }

  /** The compatibility level in force globally (subject null) or for the subject. */
  public String compatibility(String subject) {
    JsonNode resp = send("GET", subject == null ? "/config" : "/config/" + enc(subject), null, "config");
    return resp.path("compatibilityLevel").asText(resp.path("compatibility").asText());
  }

  private JsonNode send(String method, String path, JsonNode body, String what) {
    int attempts = config.maxRetries() + 1;
    Exception last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      URI base = config.urls().get(attempt % config.urls().size());
      HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(config.requestTimeout())
          .header("Accept", CONTENT_TYPE + ", application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(body.toString()));
      if (body != null) {
        req.header("Content-Type", CONTENT_TYPE);
      }
      String auth = config.credentials().authorizationHeader();
      if (auth != null) {
        req.header("Authorization", auth);
      }
      try {
        HttpResponse<String> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
        int status = resp.statusCode();
        if (status >= 200 && status < 300) {
          return resp.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(resp.body());
        }
        if (status != 429 && status < 500) {
          throw toException(status, resp.body(), what, base);
        }
        last = new IOException("HTTP " + status + " from " + base + path + ": " + abbreviate(resp.body()));
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException("interrupted while calling the schema registry", e);
      }
      if (attempt + 1 < attempts) {
        Duration backoff = backoff(attempt);
        log.warn("event=registry_retry method={} path={} attempt={} backoff_ms={} cause=\"{}\"", method, path,
            attempt + 1, backoff.toMillis(), last.getMessage());
        sleep(backoff);
      }
    }
    throw new RegistryUnavailableException("schema registry " + config.urls() + " unavailable for " + method + " "
        + path + " after " + attempts + " attempt(s): " + (last == null ? "" : last.getMessage()), last);
  }

  private static RegistryException toException(int status, String body, String what, URI base) {
    int code = 0;
    String message = abbreviate(body);
    try {
      JsonNode n = JSON.readTree(body);
      code = n.path("error_code").asInt(0);
      message = n.path("message").asText(message);
    } catch (IOException notJson) {
      // keep the raw body as the message
    }
    return switch (status) {
      case 401, 403 -> new RegistryAuthException("schema registry " + base + " refused the credentials (HTTP "
          + status + "): " + message);
      case 404 -> new SchemaNotFoundException("not found in schema registry: " + what + " (" + message + ")", code);
      case 409 -> new IncompatibleSchemaException(what, message);
      default -> new RegistryRequestException("schema registry rejected the request for " + what + " (HTTP " + status
          + ", error_code " + code + "): " + message, status, code);
    };
  }

  private Duration backoff(int attempt) {
    long base = config.initialBackoff().toMillis() << Math.min(attempt, 16);
    long capped = Math.min(base, config.maxBackoff().toMillis());
    // full jitter keeps many clients from retrying in lock-step after a registry restart
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryUnavailableException("interrupted during registry retry backoff", e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
