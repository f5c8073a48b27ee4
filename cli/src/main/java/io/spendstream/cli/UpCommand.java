package io.spendstream.cli;

import io.spendstream.infra.InfraVersions;
import io.spendstream.infra.stack.LocalStack;
import io.spendstream.infra.stack.StackConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code spendstream up}: the local stack in the foreground until Ctrl-C. */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = {"Starts Kafka, the schema registry and the ClickHouse endpoint on this machine (loopback only),",
        "with health checks, and keeps them running until Ctrl-C or 'spendstream down'."})
final class UpCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  StackOptions stack;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    StackConfig c = stack.config();
    out.printf("spendstream up: starting Kafka %s, Apicurio Registry %s and ClickHouse (chDB %s); state in %s%n",
        InfraVersions.kafka(), InfraVersions.apicurio(), InfraVersions.chdb(), c.stateDir());
    out.flush();
    long t0 = System.nanoTime();
    LocalStack running = LocalStack.start(c, r -> {
      synchronized (out) {
        out.printf("  %-16s ready in %5.1f s  %-44s %s%n", r.component(), r.took().toMillis() / 1000.0, r.endpoint(), r.detail());
        out.flush();
      }
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      out.println("spendstream up: stopping ...");
      out.flush();
      running.close();
      out.println("spendstream up: stopped.");
      out.flush();
      stopped.countDown();
    }, "spendstream-up-stop"));
    out.printf("%nready in %.1f s.%n%n", (System.nanoTime() - t0) / 1e9);
    out.printf("Query ClickHouse (admin user 'default'; read-only on-call user 'oncall', password 'oncall'):%n");
    out.printf("  curl '%s/?query=SELECT+version()'%n", c.clickhouseUrl());
    out.printf("  curl -u oncall:oncall --data-binary \"SELECT name FROM system.tables WHERE database = '%s'\" %s/%n",
        c.database(), c.clickhouseUrl());
    out.printf("Point tests or services at this stack:%n");
    out.printf("  export SPENDSTREAM_KAFKA_BOOTSTRAP=%s SPENDSTREAM_REGISTRY_URL=%s SPENDSTREAM_CLICKHOUSE_URL=%s%n",
        c.kafkaBootstrap(), c.registryUrl(), c.clickhouseUrl());
    out.printf("Logs: %s/logs. Ctrl-C stops everything (or 'spendstream down' from another terminal).%n", c.stateDir());
    out.flush();
    stopped.await();
    return 0;
  }
}
