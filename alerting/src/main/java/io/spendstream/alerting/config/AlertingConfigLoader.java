package io.spendstream.alerting.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.spendstream.config.ConfigReader;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the alerting config (YAML, see {@code alerting/alerting.example.yaml}); every problem is reported at
 * once. Secrets (webhook HMAC keys, PagerDuty routing keys, Slack URLs) are read from environment variables
 * named in the file ({@code secret_env}, {@code routing_key_env}, {@code url_env}), so the file can be committed.
 */
public final class AlertingConfigLoader {
  private static final Set<String> DESTINATION_KEYS = Set.of("kind", "url", "url_env", "secret_env", "routing_key_env",
      "cooldown", "rate_limit_per_minute", "timeout", "retry");
  private static final Set<String> RETRY_KEYS = Set.of("max_attempts", "initial_backoff", "max_backoff");
  private static final Set<String> ROUTE_KEYS = Set.of("name", "match", "to", "stop");
  private static final Set<String> MATCH_KEYS = Set.of("tenants", "types", "min_severity");

  private AlertingConfigLoader() {}

  public static AlertingConfig load(Path file, Function<String, String> env) {
    return parse(ConfigReader.readFile(file), file.toString(), env);
  }

  public static AlertingConfig parse(String yaml, String source, Function<String, String> env) {
    return parse(ConfigReader.readTree(yaml, source), source, env);
  }

  private static AlertingConfig parse(JsonNode root, String source, Function<String, String> env) {
    ConfigReader r = new ConfigReader();
    r.unknownKeys(root, "", Set.of("destinations", "routes", "default"));
    Map<String, DestinationConfig> destinations = new LinkedHashMap<>();
    JsonNode ds = root.path("destinations");
    if (!ds.isObject() || ds.isEmpty()) {
      r.problem("destinations", "must be a mapping of name to destination (at least one)");
    } else {
      ds.properties().forEach(e -> {
        DestinationConfig d = r.build(() -> destination(r, e.getKey(), e.getValue(), env));
        if (d != null) {
          destinations.put(e.getKey(), d);
        }
      });
    }
    List<RouteConfig> routes = new ArrayList<>();
    JsonNode rs = root.path("routes");
    if (!rs.isMissingNode() && !rs.isNull() && !rs.isArray()) {
      r.problem("routes", "must be a list of rules");
    } else {
      int i = 0;
      for (JsonNode n : rs) {
        routes.add(route(r, n, i++));
      }
    }
    List<String> dflt = r.texts(root, "default");
    Set<String> named = new LinkedHashSet<>();
    ds.fieldNames().forEachRemaining(named::add);
    AlertingConfig.crossCheck(named, routes, dflt).forEach(p -> r.problems().add(p));
    r.throwIfAny(source);
    return new AlertingConfig(destinations, routes, dflt);
  }

  private static DestinationConfig destination(ConfigReader r, String name, JsonNode n, Function<String, String> env) {
    String prefix = "destinations." + name;
    if (!n.isObject()) {
      r.problem(prefix, "must be a mapping with at least 'kind'");
      return null;
    }
    r.unknownKeys(n, prefix + ".", DESTINATION_KEYS);
    String kindText = r.text(n, prefix + ".kind", null);
    DestinationKind kind = null;
    try {
      kind = kindText == null ? null : DestinationKind.valueOf(kindText.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      r.problem(prefix + ".kind", "'" + kindText + "' is not one of webhook, slack, pagerduty, log");
    }
    String url = r.text(n, prefix + ".url", null);
    String urlEnv = r.text(n, prefix + ".url_env", null);
    if (urlEnv != null) {
      url = fromEnv(r, env, urlEnv, prefix + ".url_env");
    } else if (url == null && kind == DestinationKind.PAGERDUTY) {
      url = DestinationConfig.PAGERDUTY_EVENTS.toString();
    }
    URI uri = null;
    if (url != null) {
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        r.problem(prefix + ".url", "not a URL");
      }
    }
    String secretKey = prefix + (kind == DestinationKind.PAGERDUTY ? ".routing_key_env" : ".secret_env");
    String secretEnv = r.text(n, secretKey, null);
    String secret = secretEnv == null ? null : fromEnv(r, env, secretEnv, secretKey);
    JsonNode retry = r.object(n, "retry", RETRY_KEYS, prefix);
    RetryPolicy d = RetryPolicy.defaults();
    RetryPolicy policy = r.build(() -> new RetryPolicy(r.integer(retry, prefix + ".retry.max_attempts", d.maxAttempts()),
        r.duration(retry, prefix + ".retry.initial_backoff", d.initialBackoff()),
        r.duration(retry, prefix + ".retry.max_backoff", d.maxBackoff())));
    Duration cooldown = r.duration(n, prefix + ".cooldown", Duration.ofMinutes(10));
    int rate = r.integer(n, prefix + ".rate_limit_per_minute", 30);
    Duration timeout = r.duration(n, prefix + ".timeout", Duration.ofSeconds(10));
    return new DestinationConfig(name, kind, uri, secret, cooldown, rate, timeout, policy == null ? d : policy);
  }

  private static String fromEnv(ConfigReader r, Function<String, String> env, String var, String path) {
    String v = env.apply(var);
    if (v == null || v.isBlank()) {
      r.problem(path, "environment variable " + var + " is not set");
      return null;
    }
    return v.trim();
  }

  private static RouteConfig route(ConfigReader r, JsonNode n, int index) {
    String name = n.path("name").asText("#" + (index + 1));
    String prefix = "routes." + name;
    if (!n.isObject()) {
      r.problem(prefix, "must be a mapping with 'match' and 'to'");
      return new RouteConfig(name, Set.of(), Set.of(), Severity.INFO, List.of("?"), false);
    }
    r.unknownKeys(n, prefix + ".", ROUTE_KEYS);
    JsonNode m = r.object(n, "match", MATCH_KEYS, prefix);
    Set<AlertType> types = new LinkedHashSet<>();
    for (String t : r.texts(m, prefix + ".match.types")) {
      try {
        types.add(AlertType.valueOf(t.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        r.problem(prefix + ".match.types", "'" + t + "' is not an alert type (" + List.of(AlertType.values()) + ")");
      }
    }
    Severity min = Severity.INFO;
    String sev = r.text(m, prefix + ".match.min_severity", null);
    if (sev != null) {
      try {
        min = Severity.valueOf(sev.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        r.problem(prefix + ".match.min_severity", "'" + sev + "' is not one of info, warning, critical");
      }
    }
    return new RouteConfig(name, new LinkedHashSet<>(r.texts(m, prefix + ".match.tenants")), types, min,
        r.texts(n, prefix + ".to"), n.path("stop").asBoolean(false));
  }
}
