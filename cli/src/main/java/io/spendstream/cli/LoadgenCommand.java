package io.spendstream.cli;

import io.spendstream.tools.demo.DemoTraffic;
import io.spendstream.tools.demo.Loadgen;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spendstream loadgen}: the demo traffic on its own, against any gateway. */
@Command(name = "loadgen", mixinStandardHelpOptions = true,
    description = {"Sends realistic LLM-call events to a gateway: tenants by weight 5:3:2:1, routes, three models, long-tailed",
        "tokens, cache use, errors, a daily rhythm compressed into --day; after --warmup (then every two days) a retry storm",
        "(first tenant), a cost spike on /v1/search/answer (second) and a runaway agent on /v1/agent/step (third).",
        "Batches the gateway does not acknowledge (503, 429, down) are sent again; nothing is dropped."})
final class LoadgenCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--gateway", defaultValue = "http://127.0.0.1:8088", description = "Gateway URL (default: ${DEFAULT-VALUE}).")
  URI gateway;

  @Option(names = "--key", required = true, description = "TENANT=API_KEY, once per tenant (keys from 'gateway keygen').")
  List<String> keys;

  @Option(names = "--tenants", description = "Use only the first K tenants of --key (default: all).")
  Integer tenants;

  @Option(names = "--rate", defaultValue = "20", description = "Events per second on average (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--duration", description = "Stop after this long (ISO-8601, e.g. PT5M). Default: until Ctrl-C.")
  Duration duration;

  @Option(names = "--warmup", defaultValue = "PT4M", description = "Normal traffic before the incidents (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--day", defaultValue = "PT10M", description = "Length of one compressed day (default: ${DEFAULT-VALUE}).")
  Duration day;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws InterruptedException {
    Map<String, String> byTenant = new LinkedHashMap<>();
    for (String k : keys) {
      int eq = k.indexOf('=');
      if (eq <= 0 || eq == k.length() - 1) {
        throw new IllegalArgumentException("--key must be TENANT=API_KEY, got '" + (eq < 0 ? "<no '='>" : k.substring(0, eq) + "=...") + "'");
      }
      byTenant.put(k.substring(0, eq), k.substring(eq + 1));
    }
    if (tenants != null) {
      if (tenants < 1 || tenants > byTenant.size()) {
        throw new IllegalArgumentException("--tenants must be 1.." + byTenant.size() + " (one --key per tenant)");
      }
      Map<String, String> first = new LinkedHashMap<>();
      byTenant.entrySet().stream().limit(tenants).forEach(e -> first.put(e.getKey(), e.getValue()));
      byTenant = first;
    }
    if (rate <= 0 || rate > 100_000) {
      throw new IllegalArgumentException("--rate must be in (0, 100000]");
    }
    DemoTraffic traffic = new DemoTraffic(new ArrayList<>(byTenant.keySet()), rate, day, warmup, seed);
    Loadgen loadgen = new Loadgen(gateway, byTenant, traffic, Duration.ofMillis(200), duration);
    Thread t = Thread.ofPlatform().name("loadgen").start(loadgen);
    Runtime.getRuntime().addShutdownHook(new Thread(loadgen::stop, "loadgen-stop"));
    PrintWriter out = spec.commandLine().getOut();
    long t0 = System.nanoTime();
    while (t.isAlive()) {
      t.join(5_000);
      out.printf("%5.0f s  acknowledged %,d  duplicates %,d  rejected %,d  retries %,d%s%n", (System.nanoTime() - t0) / 1e9,
          loadgen.accepted.sum(), loadgen.duplicates.sum(), loadgen.rejected.sum(), loadgen.retried.sum(),
          loadgen.lastError().isEmpty() ? "" : "  last error: " + loadgen.lastError());
      out.flush();
    }
    return loadgen.rejected.sum() == 0 ? 0 : 1;
  }
}
