package io.spendstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/** The alert catalogue's new types reach consumers that still have the first schema of alerts.v1: as OTHER. */
class AlertTypeCompatibilityTest {
  /** alerts.v1's alert type as released before the catalogue: three detectors and OTHER. */
  private static final Schema FIRST_TYPES = new Schema.Parser().parse("""
      {"type": "enum", "name": "AlertType", "namespace": "io.spendstream.schemas.avro",
       "symbols": ["RETRY_STORM", "COST_ANOMALY", "UNPRICED_MODEL", "OTHER"], "default": "OTHER"}""");

  private static Schema oldAlertSchema() {
    Schema current = Alert.getClassSchema();
    java.util.List<Schema.Field> fields = current.getFields().stream()
        .map(f -> new Schema.Field(f, f.name().equals("type") ? FIRST_TYPES : f.schema())).toList();
    return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
  }

  @Test
  void anOldReaderReadsANewTypeAsOtherAndTheSchemasAreCompatibleBothWays() throws IOException {
    Schema old = oldAlertSchema();
    assertThat(old.getField("type").schema().getEnumSymbols()).hasSize(4);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, Alert.getClassSchema()).getType())
        .as("old readers, new alerts").isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(Alert.getClassSchema(), old).getType())
        .as("new readers, old alerts").isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);

    for (AlertType t : AlertType.values()) {
      Alert a = Alert.newBuilder().setAlertId("id").setType(t).setSeverity(Severity.WARNING)
          .setStatus(AlertStatus.FIRING).setTenantId("acme").setDimension("route").setDimensionValue("/chat")
          .setDetectedAt(Instant.now()).setObservedValue(1).setThreshold(1).setObservedUnit("calls")
          .setMessage("m").setEvidence(Map.of()).build();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<>(Alert.class).write(a, enc);
      enc.flush();
      GenericRecord read = new GenericDatumReader<GenericRecord>(Alert.getClassSchema(), old)
          .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
      String expected = FIRST_TYPES.getEnumSymbols().contains(t.name()) ? t.name() : "OTHER";
      assertThat(read.get("type").toString()).as(t.name()).isEqualTo(expected);
    }
  }
}
