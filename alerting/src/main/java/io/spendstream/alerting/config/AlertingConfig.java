package io.spendstream.alerting.config;

import io.spendstream.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where alerts go: named destinations, routing rules tried in order, and the default route for alerts no rule
 * matched. Every destination a rule names must exist.
 */
public record AlertingConfig(Map<String, DestinationConfig> destinations, List<RouteConfig> routes,
    List<String> defaultRoute) {

  public static final String LOG_DESTINATION = "log";

  public AlertingConfig {
    destinations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(destinations));
    routes = List.copyOf(routes);
    defaultRoute = List.copyOf(defaultRoute);
    List<String> problems = crossCheck(destinations.keySet(), routes, defaultRoute);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Routes and the default route name only defined destinations, at least one each. */
  public static List<String> crossCheck(Set<String> defined, List<RouteConfig> routes, List<String> defaultRoute) {
    List<String> problems = new ArrayList<>();
    for (RouteConfig r : routes) {
      unknown(r.destinations(), "routes." + r.name() + ".to", defined, problems);
      if (r.destinations().isEmpty()) {
        problems.add("routes." + r.name() + ".to: must name at least one destination");
      }
    }
    unknown(defaultRoute, "default", defined, problems);
    if (defaultRoute.isEmpty()) {
      problems.add("default: must name at least one destination, so that no alert goes nowhere");
    }
    return problems;
  }

  /** What runs when no file is given: every alert to the service log, nothing else. */
  public static AlertingConfig logOnly() {
    DestinationConfig log = new DestinationConfig(LOG_DESTINATION, DestinationKind.LOG, null, null, Duration.ZERO, 0,
        Duration.ofSeconds(5), RetryPolicy.defaults());
    return new AlertingConfig(Map.of(LOG_DESTINATION, log), List.of(), List.of(LOG_DESTINATION));
  }

  private static void unknown(List<String> names, String path, Set<String> known, List<String> problems) {
    for (String n : names) {
      if (!known.contains(n)) {
        problems.add(path + ": no destination named '" + n + "' (defined: " + String.join(", ", known) + ")");
      }
    }
  }
}
