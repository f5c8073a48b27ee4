package io.spendstream.tools.demo;

import io.spendstream.ingest.auth.KeysFileEditor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code up --demo} prepares in the state dir: API keys for the demo tenants (kept in
 * {@code demo-tenant-keys}, mode 600 — a local-development convenience) and a processor config with short windows and
 * anomaly buckets (30 s instead of 5 min, 3 min of warm-up), so a cost spike is caught minutes after start.
 */
public final class DemoSetup {
  public static final List<String> TENANTS = List.of("acme", "globex", "initech");
  /** Days of history {@link DemoHistory} sends first: the baseline days + 1, within the gateway's 7 days. */
  public static final int HISTORY_DAYS = 6;
  static final String PROCESSOR_CONFIG = """
      # written by 'spendstream up --demo': anomaly buckets of 30 s so that the demo shows a spike within minutes.
      # A 30 s bucket of a route holds a handful of long-tailed calls, so ordinary noise reaches z > 3.5 now and
      # then; the $5 minimum keeps that quiet (ordinary buckets cost $0.30-2 here, the injected spike and
      # runaway $20-100), and the short cooldown lets the next incident on a route through. Anomaly buckets are sums
      # of the smallest window, which closes 10 s after its end in every partition: 30 s windows with 10 s of grace.
      windows:
        sizes: [30s, 1m, 1h]
        grace: 10s
      anomaly:
        bucket: 30s
        history_buckets: 12
        warmup_buckets: 6
        min_bucket_cost_usd: 5.00
        cooldown: 2m
      # the alert catalogue with its defaults but 5 baseline days (the demo sends 6 days of history first: the
      # gateway takes 7), and for the demo tenants: a daily budget acme spends within minutes, and a spend ceiling
      # per minute that globex's injected cost spike breaks (ordinary globex traffic: $3-8/min)
      alerts:
        baseline_days: 5
      tenants:
        acme:
          budget: {daily_usd: 10, monthly_usd: 200}
        globex:
          spend_baseline: {ceiling_usd_per_minute: 30}
      """;

  private DemoSetup() {}

  /** Tenant → key (the traffic tenants and the Claude Code one), created on first use and reused afterwards. */
  public static Map<String, String> tenantKeys(Path stateDir, Path keysFile) {
    Path store = stateDir.resolve("demo-tenant-keys");
    Map<String, String> keys = new LinkedHashMap<>();
    try {
      if (Files.isRegularFile(store)) {
        for (String line : Files.readAllLines(store)) {
          int eq = line.indexOf('=');
          if (eq > 0) {
            keys.put(line.substring(0, eq), line.substring(eq + 1).strip());
          }
        }
      }
      boolean added = false;
      for (String t : java.util.stream.Stream.concat(TENANTS.stream(), java.util.stream.Stream.of(ClaudeCodeDemo.TENANT)).toList()) {
        if (!keys.containsKey(t)) {
          keys.put(t, KeysFileEditor.addKey(keysFile, t));
          added = true;
        }
      }
      if (added) {
        Files.createDirectories(stateDir);
        StringBuilder b = new StringBuilder();
        keys.forEach((t, k) -> b.append(t).append('=').append(k).append('\n'));
        Files.writeString(store, b.toString());
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-------"));
      }
      return keys;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the demo tenants in " + stateDir + ": " + e.getMessage(), e);
    }
  }

  public static Path processorConfig(Path stateDir) {
    try {
      Files.createDirectories(stateDir);
      return Files.writeString(stateDir.resolve("demo-processor.yaml"), PROCESSOR_CONFIG);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
