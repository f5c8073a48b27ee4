package io.spendstream.ingest.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/** Whether Kafka and the schema registry answer; cached for a second so probes cannot overload them. */
public final class Readiness implements AutoCloseable {
  /** What the last check found. */
  public record State(boolean kafka, boolean registry) {
    public boolean ready() {
      return kafka && registry;
    }
  }

  private final String kafkaBootstrap;
  private Admin admin; // created on the first probe: no Kafka admin connection unless someone asks
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final URI registrySubjects;
  private volatile State last = new State(false, false);
  private volatile long checkedAtNanos;

  public Readiness(String kafkaBootstrap, String registryUrl) {
    this.kafkaBootstrap = kafkaBootstrap;
    this.registrySubjects = URI.create(registryUrl + "/subjects");
  }

  public synchronized State check() {
    if (System.nanoTime() - checkedAtNanos < TimeUnit.SECONDS.toNanos(1)) {
      return last;
    }
    boolean kafka;
    if (admin == null) {
      admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap,
          AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000));
    }
    try {
      kafka = !admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(3, TimeUnit.SECONDS).isEmpty();
    } catch (Exception e) {
      kafka = false;
    }
    boolean registry;
    try {
      registry = http.send(HttpRequest.newBuilder(registrySubjects).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      registry = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      registry = false;
    }
    last = new State(kafka, registry);
    checkedAtNanos = System.nanoTime();
    return last;
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    http.close();
  }
}
