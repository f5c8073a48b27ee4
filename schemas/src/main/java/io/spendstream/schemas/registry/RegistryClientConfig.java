package io.spendstream.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Registry client settings. Built from code or from Kafka-style config maps using the Confluent
 * property names ({@code schema.registry.url}, {@code basic.auth.user.info}, {@code bearer.auth.token}),
 * so existing client configs carry over. TLS uses the JDK's default trust store
 * ({@code javax.net.ssl.trustStore} to add a private CA).
 *
 * @param urls one or more registry API roots, tried in order (e.g. http://host:8080/apis/ccompat/v7)
 * @param maxRetries retries after the first attempt for connection failures, timeouts, 429 and 5xx
 */
public record RegistryClientConfig(
    List<URI> urls,
    RegistryCredentials credentials,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff) {

  public static final String URL = "schema.registry.url";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String MAX_RETRIES = "schema.registry.max.retries";

  public RegistryClientConfig {
    List<String> problems = new ArrayList<>();
    if (urls == null || urls.isEmpty()) {
      problems.add(URL + " is required");
    } else {
      for (URI u : urls) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
          problems.add(URL + " must be http(s)://..., was '" + u + "'");
        }
      }
      urls = List.copyOf(urls);
    }
    if (credentials == null) {
      credentials = new RegistryCredentials.None();
    }
    if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
      problems.add("connectTimeout must be positive");
    }
    if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
      problems.add("requestTimeout must be positive");
    }
    if (maxRetries < 0 || maxRetries > 20) {
      problems.add("maxRetries must be 0..20, was " + maxRetries);
    }
    if (initialBackoff == null || initialBackoff.isNegative()) {
      problems.add("initialBackoff must be >= 0");
    }
    if (maxBackoff == null || initialBackoff != null && maxBackoff.compareTo(initialBackoff) < 0) {
      problems.add("maxBackoff must be >= initialBackoff");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid schema registry client config: " + String.join("; ", problems));
    }
  }

  /** Defaults: 5 s connect, 10 s per request, 3 retries with backoff from 200 ms to 5 s. */
  public static RegistryClientConfig of(String url) {
    return new RegistryClientConfig(parseUrls(url), new RegistryCredentials.None(), Duration.ofSeconds(5),
        Duration.ofSeconds(10), 3, Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  public RegistryClientConfig withCredentials(RegistryCredentials c) {
    return new RegistryClientConfig(urls, c, connectTimeout, requestTimeout, maxRetries, initialBackoff, maxBackoff);
  }

  public RegistryClientConfig withRetries(int retries, Duration initial, Duration max) {
    return new RegistryClientConfig(urls, credentials, connectTimeout, requestTimeout, retries, initial, max);
  }

  public RegistryClientConfig withTimeouts(Duration connect, Duration request) {
    return new RegistryClientConfig(urls, credentials, connect, request, maxRetries, initialBackoff, maxBackoff);
  }

  /** From a Kafka client config map (Confluent property names). */
  public static RegistryClientConfig fromConfigs(Map<String, ?> configs) {
    Object url = configs.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException("missing required config '" + URL + "' (the registry API root)");
    }
    RegistryClientConfig c = of(url.toString());
    Object userInfo = configs.get(BASIC_AUTH_USER_INFO);
    Object token = configs.get(BEARER_AUTH_TOKEN);
    if (userInfo != null && token != null) {
      throw new IllegalArgumentException("set either " + BASIC_AUTH_USER_INFO + " or " + BEARER_AUTH_TOKEN + ", not both");
    }
    if (userInfo != null) {
      String s = userInfo.toString();
      int colon = s.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be 'user:password'");
      }
      c = c.withCredentials(new RegistryCredentials.Basic(s.substring(0, colon), s.substring(colon + 1)));
    } else if (token != null) {
      c = c.withCredentials(new RegistryCredentials.Bearer(token.toString()));
    }
    Object timeout = configs.get(REQUEST_TIMEOUT_MS);
    if (timeout != null) {
      c = c.withTimeouts(c.connectTimeout(), Duration.ofMillis(Long.parseLong(timeout.toString())));
    }
    Object retries = configs.get(MAX_RETRIES);
    if (retries != null) {
      c = c.withRetries(Integer.parseInt(retries.toString()), c.initialBackoff(), c.maxBackoff());
    }
    return c;
  }

  private static List<URI> parseUrls(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(s -> URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s))
        .toList();
  }
}
