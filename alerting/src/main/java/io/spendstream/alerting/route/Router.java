package io.spendstream.alerting.route;

import io.spendstream.alerting.config.AlertingConfig;
import io.spendstream.alerting.config.RouteConfig;
import io.spendstream.schemas.avro.Alert;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which destinations an alert goes to: the union of the destinations of every rule it matches, in rule order,
 * up to and including the first matching rule marked {@code stop}; the default route when no rule matched.
 */
public final class Router {
  private final List<RouteConfig> routes;
  private final List<String> defaultRoute;

  public Router(AlertingConfig config) {
    this.routes = config.routes();
    this.defaultRoute = config.defaultRoute();
  }

  public List<String> destinationsFor(Alert a) {
    Set<String> out = new LinkedHashSet<>();
    boolean matched = false;
    for (RouteConfig r : routes) {
      if (matches(r, a)) {
        matched = true;
        out.addAll(r.destinations());
        if (r.stop()) {
          break;
        }
      }
    }
    return matched ? new ArrayList<>(out) : defaultRoute;
  }

  static boolean matches(RouteConfig r, Alert a) {
    return (r.tenants().isEmpty() || r.tenants().contains(a.getTenantId()))
        && (r.types().isEmpty() || r.types().contains(a.getType()))
        && a.getSeverity().ordinal() >= r.minSeverity().ordinal();
  }
}
