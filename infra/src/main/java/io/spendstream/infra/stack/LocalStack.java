package io.spendstream.infra.stack;

import io.spendstream.infra.clickhouse.ClickHouseEndpointMain;
import io.spendstream.infra.clickhouse.ClickHouseEndpointProcess;
import io.spendstream.infra.kafka.KafkaBroker;
import io.spendstream.infra.kafka.KafkaOptions;
import io.spendstream.infra.kafka.KafkaTopics;
import io.spendstream.infra.process.ChildLogging;
import io.spendstream.infra.process.HttpProbe;
import io.spendstream.infra.process.JavaProcess;
import io.spendstream.infra.process.Ports;
import io.spendstream.infra.registry.ApicurioRegistry;
import io.spendstream.infra.registry.RegistryOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack: Kafka, the schema registry and the ClickHouse endpoint, each its own process, started
 * in parallel with health checks, stopped in reverse order. While it runs, {@code stack.properties} in the state
 * dir says what runs where, for {@code status} and {@code down}.
 */
public final class LocalStack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
  private final StackConfig config;
  private final List<AutoCloseable> started;
  private final AdminPassword adminPassword;
  private final List<Supervised> services = new ArrayList<>();
  private final List<StackFile.Component> components = new ArrayList<>();
  private volatile boolean closing;
  private Thread watchdog;

  /** Progress of one component, for people watching {@code up}. */
  public record Ready(String component, String endpoint, Duration took, String detail) {}

  private LocalStack(StackConfig config, List<AutoCloseable> started, AdminPassword adminPassword) {
    this.config = config;
    this.started = started;
    this.adminPassword = adminPassword;
  }

  /** The ClickHouse admin password of this stack (its file, and whether this start created it). */
  public AdminPassword adminPassword() {
    return adminPassword;
  }

  public static LocalStack start(StackConfig c, Consumer<Ready> progress) {
    return start(c, List.of(), progress);
  }

  /** The infrastructure, then {@code services} in order, each once the previous is ready. */
  public static LocalStack start(StackConfig c, List<ServiceSpec> services, Consumer<Ready> progress) {
    Optional<StackFile> running = StackFile.read(c.stackFile());
    if (running.isPresent() && ProcessHandle.of(running.get().launcherPid()).map(ProcessHandle::isAlive).orElse(false)) {
      throw new IllegalStateException("a stack from this state dir is already running (pid " + running.get().launcherPid()
          + "); stop it with 'spendstream down' first");
    }
    Path dir = c.stateDir().toAbsolutePath();
    AdminPassword admin = AdminPassword.ensure(dir); // the endpoint never runs without one here
    CompletableFuture<KafkaBroker> kafka = CompletableFuture.supplyAsync(() -> {
      long t0 = System.nanoTime();
      KafkaBroker b = KafkaBroker.start(new KafkaOptions(c.kafkaPort(), c.kafkaControllerPort(), dir.resolve("kafka"),
          3, 512L * 1024 * 1024), dir.resolve("logs/kafka.log"));
      List<String> created = KafkaTopics.ensure(b.bootstrapServers(), c.topics());
      progress.accept(new Ready("kafka", b.bootstrapServers(), since(t0), "topics: " + c.topics().size()
          + " (" + created.size() + " created)"));
      return b;
    });
    CompletableFuture<ApicurioRegistry> registry = CompletableFuture.supplyAsync(() -> {
      long t0 = System.nanoTime();
      ApicurioRegistry r = ApicurioRegistry.start(new RegistryOptions(c.registryPort(), c.registryManagementPort(),
          Optional.of(dir.resolve("registry")), dir.resolve("logs/schema-registry.log"), RegistryOptions.DEFAULT_HEAP_BYTES));
      progress.accept(new Ready("schema-registry", r.ccompatUrl(), since(t0), "compatibility BACKWARD"));
      return r;
    });
    CompletableFuture<ClickHouseEndpointProcess> clickhouse = CompletableFuture.supplyAsync(() -> {
      long t0 = System.nanoTime();
      ClickHouseEndpointProcess ch = ClickHouseEndpointProcess.start(c.clickhousePort(), dir.resolve("clickhouse"), dir,
          dir.resolve("logs/clickhouse.log"), admin.password());
      ch.createDatabase(c.database());
      progress.accept(new Ready("clickhouse", ch.url(), since(t0), "database " + c.database()));
      return ch;
    });
    List<AutoCloseable> started = new ArrayList<>();
    RuntimeException failure = null;
    for (CompletableFuture<? extends AutoCloseable> f : List.of(kafka, registry, clickhouse)) {
      try {
        started.add(f.join());
      } catch (CompletionException e) {
        failure = failure == null ? unwrap(e) : failure;
      }
    }
    LocalStack stack = new LocalStack(c, started, admin);
    if (failure != null) {
      stack.close();
      throw failure;
    }
    List<StackFile.Component> extra = new ArrayList<>();
    for (ServiceSpec s : services) {
      try {
        long t0 = System.nanoTime();
        Ports.requireFree(s.port(), s.name());
        Supervised sup = new Supervised(s, dir, Map.of(AdminPassword.ENV, admin.password()));
        started.add(sup);
        stack.services.add(sup);
        sup.start();
        extra.add(sup.component());
        progress.accept(new Ready(s.name(), s.url(), since(t0), "health " + s.healthPath()));
      } catch (RuntimeException e) {
        stack.close();
        throw e;
      }
    }
    stack.components.addAll(List.of(
        new StackFile.Component("kafka", kafka.join().pid(), c.kafkaBootstrap(), dir.resolve("logs/kafka.log"), "kafka.Kafka"),
        new StackFile.Component("schema-registry", registry.join().pid(), c.registryUrl(),
            dir.resolve("logs/schema-registry.log"), "quarkus-run.jar"),
        new StackFile.Component("clickhouse", clickhouse.join().pid(), c.clickhouseUrl(), dir.resolve("logs/clickhouse.log"),
            ClickHouseEndpointMain.class.getName())));
    stack.components.addAll(extra);
    stack.writeStackFile();
    return stack;
  }

  private synchronized void writeStackFile() {
    new StackFile(ProcessHandle.current().pid(), List.copyOf(components)).write(config.stackFile());
  }

  /**
   * Keeps the services running: one that exits (a crash, an out-of-memory exit, a kill) is started again
   * with the same arguments and its restart is said through {@code say} and logged; a service that keeps
   * failing is retried with growing pauses (up to a minute), never given up on. The stack file follows the
   * new pids, so {@code status} and {@code down} still find it.
   */
  public void supervise(Consumer<String> say) {
    watchdog = Thread.ofPlatform().name("stack-watchdog").daemon().start(() -> {
      while (!closing) {
        for (Supervised s : services) {
          if (!closing && !s.process.isAlive() && System.nanoTime() >= s.nextTryNanos) {
            restart(s, say);
          }
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  private void restart(Supervised s, Consumer<String> say) {
    if (closing) {
      return;
    }
    String exit = s.process.isAlive() ? "?" : String.valueOf(s.process.exitCode());
    s.restarts++;
    say.accept("spendstream up: " + s.spec.name() + " exited (code " + exit + "); restarting it (restart " + s.restarts
        + ", log " + s.log + ")");
    log.warn("component=stack event=service_exited service={} exit_code={} action=restart restarts={} log={}", s.spec.name(), exit,
        s.restarts, s.log);
    try {
      s.start();
      synchronized (this) {
        for (int i = 0; i < components.size(); i++) {
          if (components.get(i).name().equals(s.spec.name())) {
            components.set(i, s.component());
          }
        }
      }
      writeStackFile();
      s.failuresInARow = 0;
      say.accept("spendstream up: " + s.spec.name() + " is running again (pid " + s.process.pid() + ")");
    } catch (RuntimeException e) {
      s.failuresInARow++;
      long pauseMs = Math.min(60_000, 1000L << Math.min(6, s.failuresInARow));
      s.nextTryNanos = System.nanoTime() + pauseMs * 1_000_000;
      say.accept("spendstream up: " + s.spec.name() + " did not come back (" + e.getMessage() + "); next try in "
          + pauseMs / 1000 + " s");
    }
  }

  /** A service process of the stack and how to start it again. */
  private static final class Supervised implements AutoCloseable {
    final ServiceSpec spec;
    final Path dir;
    final Path log;
    final Map<String, String> env;
    volatile JavaProcess process;
    int restarts;
    int failuresInARow;
    volatile long nextTryNanos;

    Supervised(ServiceSpec spec, Path dir, Map<String, String> env) {
      this.spec = spec;
      this.dir = dir;
      this.env = env;
      this.log = dir.resolve("logs").resolve(spec.name() + ".log");
    }

    void start() {
      List<String> args = new ArrayList<>(List.of(spec.mainClass()));
      args.addAll(spec.args());
      JavaProcess p = JavaProcess.start(spec.name(), dir, List.of("-Xmx" + (spec.heapBytes() >> 20) + "m",
          "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", ChildLogging.jvmArg(dir), "-cp",
          ChildLogging.classpath()), args, log, env);
      process = p;
      p.awaitReady(() -> HttpProbe.ok(spec.url() + spec.healthPath()), Duration.ofSeconds(60));
    }

    StackFile.Component component() {
      return new StackFile.Component(spec.name(), process.pid(), spec.url(), log, spec.marker());
    }

    @Override
    public void close() {
      if (process != null) {
        process.close();
      }
    }
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  private static RuntimeException unwrap(CompletionException e) {
    return e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
  }

  /** Stops every component, last started first, and removes the stack file. */
  @Override
  public void close() {
    closing = true;
    if (watchdog != null) {
      watchdog.interrupt();
      try {
        watchdog.join(10_000); // a restart in progress ends before its service is stopped
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("component=stack event=stop_failed cause=\"{}\"", e.toString());
      }
    }
    try {
      java.nio.file.Files.deleteIfExists(config.stackFile());
    } catch (IOException e) {
      log.warn("component=stack event=stack_file_not_removed file={}", config.stackFile());
    }
  }
}
