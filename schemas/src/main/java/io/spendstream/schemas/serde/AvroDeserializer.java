package io.spendstream.schemas.serde;

import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaNotFoundException;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro into SpecificRecords. The writer's schema comes from the registry
 * by id and is resolved against the reader's (the generated class's) schema, so records written with
 * an older or newer compatible schema read fine.
 *
 * <p>Bad bytes throw a {@link PoisonRecordException} (dead-letter them); an unreachable registry throws
 * {@link io.spendstream.schemas.registry.RegistryUnavailableException} (do not skip: retry or stop).
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  static {
    io.spendstream.schemas.AvroTrust.ensure();
  }

  private SchemaRegistryClient registry;
  private final Schema readerSchema;
  private final Map<Integer, SpecificDatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();
  private final DecoderFactory decoders = DecoderFactory.get();

  /**
   * For Kafka's by-class-name configuration: reads into the generated class named by the writer's
   * schema (it must be on the classpath).
   */
  public AvroDeserializer() {
    this.readerSchema = null;
  }

  public AvroDeserializer(SchemaRegistryClient registry, Class<T> type) {
    this.registry = registry;
    this.readerSchema = SpecificData.get().getSchema(type);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = new SchemaRegistryClient(RegistryClientConfig.fromConfigs(configs));
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroDeserializer is not configured: no schema registry client");
    }
    ByteBuffer buf = ByteBuffer.wrap(data);
    int id = WireFormat.readHeader(topic, buf);
    SpecificDatumReader<T> reader = readersByWriterId.computeIfAbsent(id, k -> readerFor(topic, k));
    try {
      BinaryDecoder dec = decoders.binaryDecoder(data, buf.position(), buf.remaining(), null);
      T record = reader.read(null, dec);
      if (!dec.isEnd()) {
        throw new MalformedRecordException(topic, "trailing bytes after the record (schema id " + id + ")", null);
      }
      return record;
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
      throw new MalformedRecordException(topic, "Avro payload does not match writer schema id " + id + ": "
          + e.getMessage(), e);
    }
  }

  private SpecificDatumReader<T> readerFor(String topic, int id) {
    Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (SchemaNotFoundException e) {
      throw new UnknownSchemaIdException(topic, id, e);
    }
    return new SpecificDatumReader<>(writer, readerSchema == null ? writer : readerSchema, SpecificData.get());
  }
}
