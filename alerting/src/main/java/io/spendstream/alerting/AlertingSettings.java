package io.spendstream.alerting;

import io.spendstream.alerting.config.AlertingConfig;
import io.spendstream.schemas.Topics;

/** How the delivery service runs: where Kafka and the registry are, which topics and group, the config, HTTP. */
public record AlertingSettings(String bootstrap, String registryUrl, String groupId, String alertsTopic,
    String deadLetterTopic, String cooldownTopic, AlertingConfig config, int maxInFlight, String host, int httpPort) {
  public static final String DEFAULT_GROUP = "spendstream-alerting";

  public static AlertingSettings of(String bootstrap, String registryUrl, AlertingConfig config, int httpPort) {
    return of(bootstrap, registryUrl, config, "127.0.0.1", httpPort);
  }

  public static AlertingSettings of(String bootstrap, String registryUrl, AlertingConfig config, String host, int httpPort) {
    return new AlertingSettings(bootstrap, registryUrl, DEFAULT_GROUP, Topics.ALERTS, Topics.ALERTS_DLQ, Topics.ALERT_COOLDOWNS,
        config, 10_000, host, httpPort);
  }

  public AlertingSettings withGroup(String group) {
    return withTopics(alertsTopic, deadLetterTopic, group);
  }

  public AlertingSettings withTopics(String alerts, String deadLetters, String group) {
    return new AlertingSettings(bootstrap, registryUrl, group, alerts, deadLetters, cooldownTopic, config, maxInFlight, host,
        httpPort);
  }

  public AlertingSettings withCooldownTopic(String topic) {
    return new AlertingSettings(bootstrap, registryUrl, groupId, alertsTopic, deadLetterTopic, topic, config, maxInFlight, host,
        httpPort);
  }
}
