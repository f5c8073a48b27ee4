package io.spendstream.schemas.serde;

import io.spendstream.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/** Serializer and deserializer of one SpecificRecord type, sharing one registry client. */
public final class AvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {
  public AvroSerde(SchemaRegistryClient registry, Class<T> type, boolean isKey) {
    super(new AvroSerializer<>(registry, isKey, true), new AvroDeserializer<>(registry, type));
  }

  /** A value serde that auto-registers the schema under {@code <topic>-value}. */
  public static <T extends SpecificRecord> AvroSerde<T> forValues(SchemaRegistryClient registry, Class<T> type) {
    return new AvroSerde<>(registry, type, false);
  }
}
