package io.spendstream.stream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.AlertStatus;
import io.spendstream.schemas.avro.AlertType;
import io.spendstream.schemas.avro.Severity;
import io.spendstream.stream.state.avro.TaskPartial;
import io.spendstream.stream.state.avro.TaskRun;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** The generated coders change how state is written, not what: the bytes are Avro's reflective ones, byte for byte. */
class InternalAvroSerdeTest {
  @Test
  void writesTheBytesAvrosReflectiveWriterWritesAndReadsThemBack() throws IOException {
    TaskPartial p = TaskPartial.newBuilder().setTenantId("acmé").setTaskId("t-1").setParentTaskId(null).setStart(1)
        .setCalls(3).setCostNanos(Long.MAX_VALUE).setInputTokens(10).setOutputTokens(0).setCacheReadTokens(7)
        .setCacheCreationTokens(8).setFirstAt(2).setLastAt(3).setRoutes(new ArrayList<>(List.of("/a", "/b")))
        .setModels(new ArrayList<>(List.of("claude-opus-4-7"))).build();
    TaskRun run = TaskRun.newBuilder().setRun(p).setLifetimeCostNanos(42).setHopsFired(true).setCostFired(false)
        .setConversationFired(true).setChildren(new ArrayList<>(List.of("sub-1"))).build();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    // a contract record with timestamps: no generated coders, written through the class's logical-type conversions
    Alert alert = Alert.newBuilder().setAlertId("a1").setType(AlertType.RETRY_STORM).setSeverity(Severity.WARNING)
        .setStatus(AlertStatus.FIRING).setTenantId("acme").setDimension("prompt_hash").setDimensionValue("h")
        .setDetectedAt(now).setObservedValue(6).setThreshold(5).setObservedUnit("calls").setCostNanos(1).setMessage("m")
        .build();
    for (SpecificRecord r : List.of(p, run, alert)) {
      @SuppressWarnings("unchecked")
      InternalAvroSerde<SpecificRecord> serde = InternalAvroSerde.of((Class<SpecificRecord>) r.getClass());
      byte[] bytes = serde.encode(r);
      assertThat(bytes).as(r.getSchema().getName()).isEqualTo(reflective(r));
      assertThat(serde.decode(bytes)).isEqualTo(r);
    }
  }

  private static byte[] reflective(SpecificRecord r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
    new SpecificDatumWriter<SpecificRecord>(r.getSchema()).write(r, enc);
    enc.flush();
    return out.toByteArray();
  }
}
