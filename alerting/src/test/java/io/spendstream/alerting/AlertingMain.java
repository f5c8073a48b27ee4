package io.spendstream.alerting;

import io.spendstream.alerting.config.AlertingConfig;
import io.spendstream.alerting.config.AlertingConfigLoader;
import io.spendstream.testkit.MainArgs;
import java.nio.file.Path;
import java.util.Map;

/**
 * Test main: the delivery service in a child JVM for this module's kill tests, which run before the CLI is built (users start it
 * with {@code spendstream alerting}, its one entry point):
 * {@code --kafka B --registry URL [--config FILE --alerts-topic T --dlq-topic T --group G --port P]}.
 */
public final class AlertingMain {
  private AlertingMain() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> a = MainArgs.pairs(args);
    AlertingConfig config = a.containsKey("config") ? AlertingConfigLoader.load(Path.of(a.get("config")), System::getenv)
        : AlertingConfig.logOnly();
    AlertingSettings s = AlertingSettings.of(a.get("kafka"), a.get("registry"), config,
        Integer.parseInt(a.getOrDefault("port", "0")));
    s = s.withTopics(a.getOrDefault("alerts-topic", s.alertsTopic()), a.getOrDefault("dlq-topic", s.deadLetterTopic()),
        a.getOrDefault("group", s.groupId()));
    Alerting alerting = Alerting.start(s);
    Runtime.getRuntime().addShutdownHook(new Thread(alerting::close, "alerting-stop"));
    System.exit(alerting.awaitStop() ? 0 : 1);
  }
}
