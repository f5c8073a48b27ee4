package io.spendstream.stream.errors;

import java.util.Map;
import org.apache.kafka.common.Configurable;

/** The three exception handlers' shared part: Kafka Streams configures them, and they find their route there. */
abstract class RouteConfigured implements Configurable {
  DeadLetterRoute route;

  @Override
  public void configure(Map<String, ?> configs) {
    route = DeadLetterRoute.from(configs);
  }
}
