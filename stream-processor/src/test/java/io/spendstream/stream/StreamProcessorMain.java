package io.spendstream.stream;

import io.spendstream.testkit.MainArgs;
import io.spendstream.pricing.PriceCatalogLoader;
import io.spendstream.stream.config.ProcessorConfigLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Test main: the processor in a child JVM for this module's kill tests, which run before the CLI is built (users start it
 * with {@code spendstream processor}, its one entry point):
 * {@code --kafka B --registry URL [--application-id ID] [--state-dir DIR] [--port P] [--topics-suffix S]
 * [--config FILE] [--guarantee G] [--threads N]}. Exit code 1 when it stopped on an error.
 */
public final class StreamProcessorMain {
  private StreamProcessorMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> a = MainArgs.pairs(args);
    String suffix = a.getOrDefault("topics-suffix", "");
    ProcessorSettings s = new ProcessorSettings(a.get("kafka"), a.get("registry"),
        a.getOrDefault("application-id", ProcessorSettings.DEFAULT_APPLICATION_ID),
        Path.of(a.getOrDefault("state-dir", "processor-state")), Integer.parseInt(a.getOrDefault("threads", "1")),
        a.getOrDefault("guarantee", "exactly_once_v2"), Duration.ofMillis(Long.parseLong(a.getOrDefault("commit-ms", "100"))),
        -1, "127.0.0.1", Integer.parseInt(a.getOrDefault("port", "0")),
        suffix.isEmpty() ? ProcessorTopics.defaults() : ProcessorTopics.withSuffix(suffix),
        ProcessorConfigLoader.loadOrDefault(a.containsKey("config") ? Path.of(a.get("config")) : null),
        PriceCatalogLoader.defaults());
    StreamProcessor p = StreamProcessor.start(s);
    Runtime.getRuntime().addShutdownHook(new Thread(p::close, "processor-stop"));
    System.exit(p.awaitStop() ? 0 : 1);
  }
}
