package io.spendstream.sink;

import io.spendstream.testkit.MainArgs;
import io.spendstream.sink.schema.SchemaConfig;
import java.time.Duration;
import java.util.Map;

/**
 * Test main: the sink in a child JVM for this module's kill tests, which run before the CLI is built (users start it
 * with {@code spendstream sink}, its one entry point):
 * {@code --kafka B --registry URL --clickhouse URL [--user U --password P --database D --group G
 * --topics-suffix S --batch-rows N --batch-wait-ms MS --port P]}.
 */
public final class SinkMain {
  private SinkMain() {}

  public static void main(String[] args) throws InterruptedException {
    Sink sink = Sink.start(config(args));
    Runtime.getRuntime().addShutdownHook(new Thread(sink::close, "sink-stop"));
    System.exit(sink.awaitStop() ? 0 : 1);
  }

  /** The configuration the arguments describe. */
  public static SinkConfig config(String[] args) {
    Map<String, String> a = MainArgs.pairs(args);
    String suffix = a.getOrDefault("topics-suffix", "");
    return SinkConfig.builder(a.get("kafka"), a.get("registry"), a.get("clickhouse")).user(a.getOrDefault("user", "default"))
        .password(a.getOrDefault("password", "")).schema(SchemaConfig.singleNode(a.getOrDefault("database", "spendstream")))
        .groupId(a.getOrDefault("group", SinkConfig.DEFAULT_GROUP))
        .topics(suffix.isEmpty() ? SinkTopics.defaults() : SinkTopics.withSuffix(suffix))
        .maxRows(Integer.parseInt(a.getOrDefault("batch-rows", "10000")))
        .maxWait(Duration.ofMillis(Long.parseLong(a.getOrDefault("batch-wait-ms", "1000")))).maxBackoff(Duration.ofSeconds(10))
        .httpPort(Integer.parseInt(a.getOrDefault("port", "0"))).build();
  }
}
