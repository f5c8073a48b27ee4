package io.spendstream.alerting.config;

import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import java.util.List;
import java.util.Set;

/**
 * A routing rule: an alert matches when its tenant is in {@code tenants} (empty = any), its type in {@code types}
 * (empty = any) and its severity at least {@code minSeverity}; it then goes to {@code destinations}. With
 * {@code stop}, later rules are not consulted for an alert this rule matched.
 */
public record RouteConfig(String name, Set<String> tenants, Set<AlertType> types, Severity minSeverity,
    List<String> destinations, boolean stop) {
  public RouteConfig {
    tenants = Set.copyOf(tenants);
    types = Set.copyOf(types);
    destinations = List.copyOf(destinations);
  }
}
