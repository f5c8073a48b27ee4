package io.spendstream.infra.registry;

import io.spendstream.infra.process.HttpProbe;

/** Probes for any Confluent-compatible registry (Apicurio ccompat, Confluent, Karapace, Redpanda). */
public final class Registries {
  private Registries() {}

  /** True when {@code GET <url>/subjects} answers 200. */
  public static boolean answers(String url) {
    return HttpProbe.ok(url + "/subjects");
  }
}
