package io.spendstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.testkit.RealInfraExtension;
import io.spendstream.testkit.RegistryEndpoint;
import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PriceStatus;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.schemas.avro.ServiceTier;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.schemas.registry.IncompatibleSchemaException;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The serde against a real Apicurio Registry (Confluent-compatible API), started by the test kit. */
@ExtendWith(RealInfraExtension.class)
class AvroSerdeIT {
  static {
    io.spendstream.schemas.AvroTrust.ensure();
  }

  private SchemaRegistryClient registry;
  private String topic;

  @BeforeEach
  void setUp(RegistryEndpoint endpoint) {
    registry = new SchemaRegistryClient(RegistryClientConfig.of(endpoint.url()));
    topic = "it-" + UUID.randomUUID();
  }

  static LlmCall call() {
    return LlmCall.newBuilder().setEventId("evt-" + UUID.randomUUID()).setTimestamp(Instant.parse("2026-11-23T10:15:30.123Z"))
        .setTenantId("acme").setProvider("anthropic").setModel("claude-sonnet-4-6").setRoute("/v1/chat")
        .setPromptHash("0123456789abcdef").setInputTokens(1200).setOutputTokens(350).setCacheReadInputTokens(8000)
        .setCacheCreationInputTokens(0).setServiceTier(ServiceTier.STANDARD).setLatencyMs(2300).setStatusCode(200)
        .setAttributes(Map.of("env", "prod")).build();
  }

  @Test
  void everyContractRecordRoundTripsThroughTheRegistry() {
    LlmCall call = call();
    // the contract alone: a priced call as the processor writes it (1200 in x $3/M + 350 out x $15/M + 8000 reads x $0.30/M)
    PricedCall priced = PricedCall.newBuilder().setCall(call).setCostNanos(11_250_000).setInputCostNanos(3_600_000)
        .setOutputCostNanos(5_250_000).setCacheReadCostNanos(2_400_000).setCacheWriteCostNanos(0)
        .setPriceStatus(PriceStatus.PRICED).setPriceVersion("anthropic-list-2026-01-01").setPricedModel("claude-sonnet-4-6")
        .build();
    CostWindow window = CostWindow.newBuilder().setWindowStart(Instant.parse("2026-11-23T10:15:00Z"))
        .setWindowEnd(Instant.parse("2026-11-23T10:16:00Z")).setWindowSizeMs(60_000).setTenantId("acme")
        .setRoute("/v1/chat").setModel("claude-sonnet-4-6").setCalls(1).setErrors(0).setRateLimited(0)
        .setMaxTokensStops(0).setInputTokens(1200).setOutputTokens(350).setCacheReadInputTokens(8000)
        .setCacheCreationInputTokens(0).setCostNanos(priced.getCostNanos()).setLatencySumMs(2300).setLatencyMaxMs(2300)
        .setLatencyHistogram(List.of(0L, 1L)).build();
    Alert alert = Alert.newBuilder().setAlertId("a-1").setType(AlertType.RETRY_STORM).setSeverity(Severity.CRITICAL)
        .setTenantId("acme").setDimension("prompt_hash").setDimensionValue("0123456789abcdef")
        .setDetectedAt(Instant.parse("2026-11-23T10:15:30Z")).setObservedValue(6).setThreshold(5).setObservedUnit("calls")
        .setMessage("6 calls with one prompt in 60 s").setEvidence(Map.of("share_empty_output", "1.0")).build();

    assertThat(roundTrip(call, LlmCall.class)).isEqualTo(call);
    assertThat(roundTrip(priced, PricedCall.class)).isEqualTo(priced);
    assertThat(roundTrip(window, CostWindow.class)).isEqualTo(window);
    assertThat(roundTrip(alert, Alert.class)).isEqualTo(alert);
  }

  private <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(T record, Class<T> type) {
    String t = topic + "-" + type.getSimpleName();
    try (AvroSerde<T> serde = AvroSerde.forValues(registry, type)) {
      byte[] bytes = serde.serializer().serialize(t, record);
      ByteBuffer header = ByteBuffer.wrap(bytes, 0, 5);
      assertThat(header.get()).isEqualTo((byte) 0);
      int id = header.getInt();
      // the id in the header is what the registry holds for <topic>-value
      assertThat(registry.idOf(t + "-value", record.getSchema())).isEqualTo(id);
      assertThat(registry.schemaById(id)).isEqualTo(record.getSchema());
      return serde.deserializer().deserialize(t, bytes);
    }
  }

  @Test
  void configuredByClassNameLikeAnyKafkaSerde(RegistryEndpoint endpoint) {
    Map<String, Object> configs = Map.of(RegistryClientConfig.URL, endpoint.url());
    try (AvroSerializer<LlmCall> ser = new AvroSerializer<>(); AvroDeserializer<LlmCall> de = new AvroDeserializer<>()) {
      ser.configure(configs, false);
      de.configure(configs, false);
      LlmCall call = call();
      assertThat(de.deserialize(topic, ser.serialize(topic, call))).isEqualTo(call);
    }
  }

  /**
   * Schema evolution plus a foreign writer: an older LlmCall schema (no request_id, received_at,
   * attributes) is registered and written by a hand-made Confluent-format writer (generic Avro +
   * magic byte + id), then read by our deserializer into today's LlmCall with the new fields' defaults.
   */
  @Test
  void readsRecordsAnOlderSchemaAndAnotherWriterProduced() throws IOException {
    Schema current = LlmCall.getClassSchema();
    Schema old = withoutFields(current, List.of("request_id", "received_at", "attributes"));
    String subject = topic + "-value";
    int oldId = registry.register(subject, old);

    GenericRecord r = new GenericData.Record(old);
    r.put("event_id", "evt-old");
    r.put("timestamp", Instant.parse("2026-01-02T03:04:05.006Z").toEpochMilli());
    r.put("tenant_id", "acme");
    r.put("provider", "anthropic");
    r.put("model", "claude-haiku-4-5");
    r.put("route", "/legacy");
    r.put("input_tokens", 10L);
    r.put("output_tokens", 20L);
    r.put("cache_read_input_tokens", 0L);
    r.put("cache_creation_input_tokens", 0L);
    r.put("service_tier", new GenericData.EnumSymbol(old.getField("service_tier").schema(), "BATCH"));
    r.put("latency_ms", 99L);
    r.put("status_code", 429);
    r.put("error_type", "rate_limit_error");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(oldId).array());
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(old).write(r, enc);
    enc.flush();

    // the current schema is a BACKWARD-compatible successor of the old one
    assertThat(registry.isCompatible(subject, current)).isTrue();
    int newId = registry.register(subject, current);
    assertThat(newId).isNotEqualTo(oldId);

    LlmCall read = new AvroDeserializer<>(registry, LlmCall.class).deserialize(topic, out.toByteArray());
    assertThat(read.getEventId()).isEqualTo("evt-old");
    assertThat(read.getTimestamp()).isEqualTo(Instant.parse("2026-01-02T03:04:05.006Z"));
    assertThat(read.getServiceTier()).isEqualTo(ServiceTier.BATCH);
    assertThat(read.getErrorType()).isEqualTo("rate_limit_error");
    assertThat(read.getRequestId()).isNull();
    assertThat(read.getAttributes()).isEmpty();
  }

  @Test
  void incompatibleChangeIsRefusedWith409() {
    String subject = topic + "-value";
    Schema v1 = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"E\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}");
    Schema noDefault = new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"E\",\"fields\":["
        + "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"long\"}]}");
    registry.register(subject, v1);
    assertThat(registry.compatibility(null)).isEqualTo("BACKWARD");
    assertThat(registry.isCompatible(subject, noDefault)).isFalse();
    assertThatThrownBy(() -> registry.register(subject, noDefault))
        .isInstanceOf(IncompatibleSchemaException.class).hasMessageContaining(subject);
  }

  @Test
  void unknownSchemaIdIsAPoisonRecord() {
    byte[] bytes = ByteBuffer.allocate(7).put((byte) 0).putInt(987_654).put(new byte[] {2, 2}).array();
    assertThatThrownBy(() -> new AvroDeserializer<>(registry, LlmCall.class).deserialize(topic, bytes))
        .isInstanceOf(UnknownSchemaIdException.class).hasMessageContaining("987654");
  }

  @Test
  void garbageAfterAValidHeaderIsMalformed() {
    byte[] good = AvroSerde.forValues(registry, LlmCall.class).serializer().serialize(topic, call());
    byte[] truncated = java.util.Arrays.copyOf(good, good.length / 2);
    assertThatThrownBy(() -> new AvroDeserializer<>(registry, LlmCall.class).deserialize(topic, truncated))
        .isInstanceOf(MalformedRecordException.class);
  }

  @Test
  void withAutoRegisterOffAnUnregisteredSchemaIsAnError() {
    AvroSerializer<LlmCall> ser = new AvroSerializer<>(registry, false, false);
    assertThatThrownBy(() -> ser.serialize(topic, call()))
        .isInstanceOf(io.spendstream.schemas.registry.SchemaNotFoundException.class);
  }

  private static Schema withoutFields(Schema s, List<String> drop) {
    List<Schema.Field> fields = s.getFields().stream().filter(f -> !drop.contains(f.name()))
        .map(f -> new Schema.Field(f, f.schema())).toList();
    return Schema.createRecord(s.getName(), s.getDoc(), s.getNamespace(), false, fields);
  }
}
