package io.spendstream.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.kafka.TopicSpec;
import io.spendstream.infra.testkit.KafkaEndpoint;
import io.spendstream.infra.testkit.RealInfraExtension;
import io.spendstream.infra.testkit.RegistryEndpoint;
import io.spendstream.ingest.auth.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * 12,000 malformed or hostile requests (random bytes, wrong types, deep nesting, huge numbers, unicode
 * and control characters, truncated bodies, wrong media types, missing keys, oversized bodies), from a
 * fixed seed: every answer must be a 4xx and the gateway must stay healthy.
 */
@ExtendWith(RealInfraExtension.class)
class GatewayFuzzIT {
  private static final int REQUESTS = 12_000;
  private static final String KEY = ApiKeys.generate();
  private static final String[] FIELDS = {"event_id", "timestamp", "tenant_id", "provider", "model", "route", "feature",
      "prompt_hash", "prompt", "usage", "input_tokens", "output_tokens", "cache_read_input_tokens",
      "cache_creation_input_tokens", "cache_creation", "service_tier", "latency_ms", "ttft_ms", "status_code", "attributes"};
  private static final String[] HOSTILE_VALUES = {"null", "true", "-1", "1e308", "-0", "1.5", "99999999999999999999999999",
      "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"" + "x".repeat(3000) + "\"", "[]", "{}", "[[[[[]]]]]", "\"\\u202e\\u0301ꙮ\"",
      "\"1970-01-01T00:00:00Z\"", "\"2999-01-01T00:00:00Z\"", "\"../../etc/passwd\"", "{\"$ne\":1}", "\"' OR 1=1 --\""};

  @TempDir Path dir;

  @Test
  void everyHostileRequestGets4xxAndTheGatewaySurvives(KafkaEndpoint kafka, RegistryEndpoint registry) throws Exception {
    String topic = "fuzz-" + UUID.randomUUID();
    KafkaTopics.ensure(kafka.bootstrapServers(), List.of(new TopicSpec(topic, 1, Duration.ofDays(1))));
    Path keys = dir.resolve("keys.yaml");
    Files.writeString(keys, "tenants:\n  - id: fuzz\n    keys: [\"" + ApiKeys.hash(KEY) + "\"]\n");
    GatewayConfig d = GatewayConfig.defaults(0, keys, kafka.bootstrapServers(), registry.url());
    GatewayConfig c = new GatewayConfig(d.host(), 0, keys, kafka.bootstrapServers(), registry.url(), topic, 256 * 1024, 100,
        64L * 1024 * 1024, Duration.ofSeconds(5), 1_000_000, d.maxEventAge(), d.maxEventFuture(), Duration.ofSeconds(5));
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    List<String> fiveHundreds = java.util.Collections.synchronizedList(new ArrayList<>());
    try (IngestGateway gateway = IngestGateway.start(c); HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(5)).build(); ExecutorService pool = Executors.newFixedThreadPool(4)) {
      URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/events");
      List<Future<?>> work = new ArrayList<>();
      for (int worker = 0; worker < 4; worker++) {
        int w = worker;
        work.add(pool.submit(() -> {
          SplittableRandom rnd = new SplittableRandom(1234 + w);
          for (int i = w; i < REQUESTS; i += 4) {
            HttpRequest req = hostile(uri, rnd, i);
            try {
              HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
              statuses.computeIfAbsent(r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
              if (r.statusCode() >= 500 || r.statusCode() < 400) {
                fiveHundreds.add(i + " -> " + r.statusCode() + " " + r.body());
              } else if (!r.body().startsWith("{")) {
                fiveHundreds.add(i + " -> non-JSON " + r.statusCode() + " " + r.body());
              }
            } catch (java.io.IOException e) {
              // the server may close a connection it refuses to read (e.g. oversized); that is not a 5xx
              statuses.computeIfAbsent(-1, k -> new AtomicInteger()).incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
          + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }
    System.out.println("fuzz statuses: " + statuses);
    assertThat(fiveHundreds).as("non-4xx answers").isEmpty();
    assertThat(statuses.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(REQUESTS);
    assertThat(statuses.getOrDefault(-1, new AtomicInteger()).get()).as("connections dropped").isLessThan(REQUESTS / 100);
    assertThat(statuses.keySet()).contains(400, 401, 413, 415);
  }

  private static HttpRequest hostile(URI uri, SplittableRandom rnd, int i) {
    String contentType = "application/json";
    String auth = "Bearer " + KEY;
    byte[] body;
    switch (i % 12) {
      case 0 -> {
        body = new byte[rnd.nextInt(1, 4096)];
        for (int b = 0; b < body.length; b++) {
          body[b] = (byte) rnd.nextInt(256);
        }
      }
      case 1 -> body = ("[".repeat(rnd.nextInt(17, 20_000))).getBytes(StandardCharsets.UTF_8);
      case 2 -> body = mutated(rnd).getBytes(StandardCharsets.UTF_8);
      case 3 -> {
        String full = valid(rnd);
        body = full.substring(0, rnd.nextInt(1, full.length() - 1)).getBytes(StandardCharsets.UTF_8);
      }
      case 4 -> body = ("[" + mutated(rnd) + "," + mutated(rnd) + "]").getBytes(StandardCharsets.UTF_8);
      case 5 -> {
        contentType = "application/x-ndjson";
        body = (mutated(rnd) + "\n" + "{{{" + "\n" + mutated(rnd)).getBytes(StandardCharsets.UTF_8);
      }
      case 6 -> body = List.of("1", "\"text\"", "null", "true", "[1,2]", "[[]]", "{\"a\":{\"b\":{}}}").get(rnd.nextInt(7))
          .getBytes(StandardCharsets.UTF_8);
      case 7 -> {
        contentType = List.of("text/plain", "application/xml", "multipart/form-data; boundary=x", "", "application/jso")
            .get(rnd.nextInt(5));
        body = valid(rnd).getBytes(StandardCharsets.UTF_8);
      }
      case 8 -> {
        auth = List.of("", "Bearer ", "Basic YWJjOmRlZg==", "Bearer sk_ss_" + rnd.nextLong(), "bearer\u0000x").get(rnd.nextInt(5));
        body = valid(rnd).getBytes(StandardCharsets.UTF_8);
      }
      case 9 -> body = ("{\"event_id\":\"" + "\uD83D\uDE00".repeat(rnd.nextInt(200)) + "\u0007\",\"junk\":1}")
          .getBytes(StandardCharsets.UTF_8);
      case 10 -> body = ("[" + (valid(rnd) + ",").repeat(101) + valid(rnd) + "]").getBytes(StandardCharsets.UTF_8);
      default -> body = ("{\"event_id\":\"" + "a".repeat(300_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (!contentType.isEmpty()) {
      b.header("Content-Type", contentType);
    }
    if (!auth.isEmpty() && auth.chars().noneMatch(ch -> ch == 0)) {
      b.header("Authorization", auth);
    }
    return b.build();
  }

  private static String valid(SplittableRandom rnd) {
    return "{\"event_id\":\"f-" + rnd.nextLong() + "\",\"timestamp\":\"" + Instant.now() + "\",\"model\":\"claude-haiku-4-5\","
        + "\"route\":\"/r\",\"latency_ms\":10,\"status_code\":200,\"input_tokens\":1,\"output_tokens\":1}";
  }

  /** A valid event with one field replaced by a hostile value that makes it invalid. */
  private static String mutated(SplittableRandom rnd) {
    String field = FIELDS[rnd.nextInt(FIELDS.length)];
    String value = HOSTILE_VALUES[rnd.nextInt(HOSTILE_VALUES.length)];
    // drop two required fields as well: a replacement can restore at most one, so the event stays invalid
    String base = valid(rnd).replace("\"route\":\"/r\",", "").replace("\"status_code\":200,", "");
    return base.substring(0, base.length() - 1) + ",\"" + field + "\":" + value + "}";
  }
}
