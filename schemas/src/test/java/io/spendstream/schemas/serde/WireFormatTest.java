package io.spendstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.registry.RegistryClientConfig;
import io.spendstream.schemas.registry.SchemaRegistryClient;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Header checks happen before any registry call, so these need no registry. */
class WireFormatTest {
  private final AvroDeserializer<LlmCall> deserializer =
      new AvroDeserializer<>(new SchemaRegistryClient(RegistryClientConfig.of("http://127.0.0.1:1")), LlmCall.class);

  @Test
  void headerIsMagicZeroThenBigEndianId() {
    assertThat(WireFormat.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void wrongMagicByteIsAPoisonRecord() {
    assertThatThrownBy(() -> deserializer.deserialize("t", "{\"json\":true}".getBytes()))
        .isInstanceOf(UnknownMagicByteException.class)
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("0x7b")
        .satisfies(e -> assertThat(((PoisonRecordException) e).reason()).isEqualTo("unknown_magic_byte"));
  }

  @Test
  void tooShortRecordIsMalformed() {
    assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 1}))
        .isInstanceOf(MalformedRecordException.class).hasMessageContaining("5-byte header");
  }

  @Test
  void nullStaysNull() {
    assertThat(deserializer.deserialize("t", null)).isNull();
    assertThat(new AvroSerializer<LlmCall>().serialize("t", null)).isNull();
  }
}
