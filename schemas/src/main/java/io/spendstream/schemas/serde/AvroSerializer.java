package io.spendstream.schemas.serde;

import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes SpecificRecords in the Confluent wire format, registering (or, with auto-register off, only
 * looking up) the record's schema under the TopicNameStrategy subject {@code <topic>-value} or
 * {@code <topic>-key}.
 *
 * <p>Configure in code, or by class name from Kafka configs: {@code schema.registry.url},
 * {@code auto.register.schemas} (default true), plus the auth properties of {@link RegistryClientConfig}.
 */
public final class AvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  static {
    io.spendstream.schemas.AvroTrust.ensure();
  }

  public static final String AUTO_REGISTER = "auto.register.schemas";

  private SchemaRegistryClient registry;
  private boolean autoRegister = true;
  private boolean isKey;
  private final Map<String, Integer> idByTopicAndSchema = new ConcurrentHashMap<>();
  private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();
  private final EncoderFactory encoders = EncoderFactory.get();

  /** For Kafka's by-class-name configuration; {@link #configure} must be called. */
  public AvroSerializer() {}

  public AvroSerializer(SchemaRegistryClient registry, boolean isKey, boolean autoRegister) {
    this.registry = registry;
    this.isKey = isKey;
    this.autoRegister = autoRegister;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    if (registry == null) {
      registry = new SchemaRegistryClient(RegistryClientConfig.fromConfigs(configs));
    }
    Object auto = configs.get(AUTO_REGISTER);
    if (auto != null) {
      autoRegister = Boolean.parseBoolean(auto.toString());
    }
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroSerializer is not configured: no schema registry client");
    }
    Schema schema = record.getSchema();
    int id = idByTopicAndSchema.computeIfAbsent(topic + '\u0000' + schema.getFullName() + '\u0000' + schema.hashCode(),
        k -> autoRegister ? registry.register(subject(topic), schema) : registry.idOf(subject(topic), schema));
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(WireFormat.header(id));
      BinaryEncoder enc = encoders.directBinaryEncoder(out, null);
      // one writer per schema: building it per record showed up in the stream processor's profile
      writers.computeIfAbsent(schema, SpecificDatumWriter::new).write(record, enc);
      enc.flush();
      return out.toByteArray();
    } catch (IOException | RuntimeException e) {
      throw new SerializationException("cannot encode " + schema.getName() + " for topic '" + topic + "': "
          + e.getMessage(), e);
    }
  }

  private String subject(String topic) {
    return topic + (isKey ? "-key" : "-value");
  }
}
