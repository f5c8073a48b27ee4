package io.spendstream.alerting.deliver;

import io.spendstream.alerting.config.DestinationConfig;
import io.spendstream.ops.Failures;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.BiFunction;

/** A JSON POST per notification; the body (and any extra headers) come from the destination kind. */
final class HttpDestination implements Destination {
  private final DestinationConfig config;
  private final HttpClient http;
  private final BiFunction<Notification, HttpRequest.Builder, byte[]> body;

  HttpDestination(DestinationConfig config, HttpClient http, BiFunction<Notification, HttpRequest.Builder, byte[]> body) {
    this.config = config;
    this.http = http;
    this.body = body;
  }

  @Override
  public String name() {
    return config.name();
  }

  @Override
  public SendResult send(Notification n) {
    HttpRequest.Builder b = HttpRequest.newBuilder(config.url()).timeout(config.timeout())
        .header("Content-Type", "application/json").header("User-Agent", "spendstream-alerting");
    byte[] bytes = body.apply(n, b);
    try {
      HttpResponse<String> r = http.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
          HttpResponse.BodyHandlers.ofString());
      int s = r.statusCode();
      if (s >= 200 && s < 300) {
        return new SendResult.Sent(s);
      }
      String text = r.body() == null ? "" : r.body().strip();
      String reason = "HTTP " + s + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
      return new SendResult.Failed(reason, s == 408 || s == 429 || s >= 500);
    } catch (IOException e) {
      return new SendResult.Failed(Failures.rootMessage(e), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new SendResult.Failed("interrupted", true);
    }
  }
}
