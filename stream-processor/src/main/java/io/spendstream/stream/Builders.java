package io.spendstream.stream;

import java.util.Properties;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;

/** StreamsBuilders that refuse generated names for stores and internal topics (KIP-1111). */
public final class Builders {
  private Builders() {}

  public static StreamsBuilder newBuilder() {
    Properties p = new Properties();
    // required by StreamsConfig, not used for building
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "spendstream-topology");
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    return new StreamsBuilder(new TopologyConfig(new StreamsConfig(p)));
  }
}
