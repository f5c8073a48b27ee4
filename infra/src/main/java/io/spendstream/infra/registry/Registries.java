package io.spendstream.infra.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Probes for any Confluent-compatible registry (Apicurio ccompat, Confluent, Karapace, Redpanda). */
public final class Registries {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Registries() {}

  /** True when {@code GET <url>/subjects} answers 200. */
  public static boolean answers(String url) {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/subjects")).timeout(Duration.ofSeconds(3)).GET().build();
    try {
      return HTTP.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
