package io.spendstream.stream.kafka;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import io.spendstream.schemas.serde.AvroSerde;
import org.apache.kafka.common.serialization.Serde;

/**
 * Value serdes of the public topics. Production: Confluent wire format through the schema registry.
 * Replay: plain Avro (no registry; the bytes never leave the process).
 */
public record TopicSerdes(Serde<LlmCall> calls, Serde<PricedCall> priced, Serde<CostWindow> windows, Serde<Alert> alerts) {
  public static TopicSerdes registry(SchemaRegistryClient registry) {
    return new TopicSerdes(AvroSerde.forValues(registry, LlmCall.class), AvroSerde.forValues(registry, PricedCall.class),
        AvroSerde.forValues(registry, CostWindow.class), AvroSerde.forValues(registry, Alert.class));
  }

  public static TopicSerdes plain() {
    return new TopicSerdes(InternalAvroSerde.of(LlmCall.class), InternalAvroSerde.of(PricedCall.class),
        InternalAvroSerde.of(CostWindow.class), InternalAvroSerde.of(Alert.class));
  }
}
