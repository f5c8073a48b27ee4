package io.spendstream.infra.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.clickhouse.client.api.internal.CompressedBlockInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import net.jpountz.lz4.LZ4Factory;
import org.junit.jupiter.api.Test;

class NativeCompressionTest {
  private static byte[] sample(int size) {
    SplittableRandom r = new SplittableRandom(7);
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i % 97 < 60 ? 'a' + i % 7 : r.nextInt(256)); // partly compressible
    }
    return b;
  }

  @Test
  void theOfficialClientsReaderDecodesWhatWeWrite() throws IOException {
    byte[] data = sample(3 * 1024 * 1024 + 123); // several blocks
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NativeCompression.compress(data, out);
    try (var in = new CompressedBlockInputStream(new ByteArrayInputStream(out.toByteArray()),
        LZ4Factory.fastestInstance().fastDecompressor(), 65536)) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void roundTripsAndRejectsCorruption() throws IOException {
    byte[] data = sample(100_000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NativeCompression.compress(data, out);
    byte[] framed = out.toByteArray();
    assertThat(NativeCompression.decompress(new ByteArrayInputStream(framed))).isEqualTo(data);
    framed[framed.length - 1] ^= 1;
    assertThatThrownBy(() -> NativeCompression.decompress(new ByteArrayInputStream(framed)))
        .isInstanceOf(IOException.class).hasMessageContaining("checksum");
  }

  @Test
  void emptyDataIsAnEmptyStream() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    NativeCompression.compress(new byte[0], out);
    assertThat(out.size()).isZero();
    assertThat(NativeCompression.decompress(new ByteArrayInputStream(new byte[0]))).isEmpty();
  }
}
