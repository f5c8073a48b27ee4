package io.spendstream.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BatchReaderTest {
  private static byte[] repeat(String head, String item, String sep, String tail, int n) {
    StringBuilder b = new StringBuilder(head);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : sep).append(item);
    }
    return b.append(tail).toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void anArrayOfEventsIsReadUpToTheLimitAndNoFurther() throws Exception {
    assertThat(BatchReader.read(repeat("[", "{\"a\":1}", ",", "]", 10), false, 10)).hasSize(10)
        .allSatisfy(i -> assertThat(i.json().get("a").asInt()).isEqualTo(1));
    // 5 MiB of "{}" is ~1.75 million objects: refused at the 11th, without reading (or building) the rest
    byte[] huge = repeat("[", "{}", ",", "]", 1_750_000);
    assertThatThrownBy(() -> BatchReader.read(huge, false, 10)).isInstanceOf(BatchReader.TooManyItems.class)
        .hasMessageContaining("at most 10 events");
  }

  @Test
  void ndjsonStopsAtTheLimitToo() throws Exception {
    assertThat(BatchReader.read(repeat("", "{\"a\":1}", "\n\n", "\n", 3), true, 3)).hasSize(3);
    assertThatThrownBy(() -> BatchReader.read(repeat("", "{}", "\n", "\n", 100_000), true, 3))
        .isInstanceOf(BatchReader.TooManyItems.class);
  }

  @Test
  void oneObjectNonObjectsAndBrokenBodies() throws Exception {
    assertThat(BatchReader.read("{\"a\":1}".getBytes(StandardCharsets.UTF_8), false, 10)).singleElement()
        .satisfies(i -> assertThat(i.index()).isZero());
    assertThat(BatchReader.read("[1, \"x\", {}]".getBytes(StandardCharsets.UTF_8), false, 10)).hasSize(3);
    assertThatThrownBy(() -> BatchReader.read("[{}, {}".getBytes(StandardCharsets.UTF_8), false, 10))
        .isInstanceOf(BatchReader.MalformedBody.class);
    assertThatThrownBy(() -> BatchReader.read("{} {}".getBytes(StandardCharsets.UTF_8), false, 10))
        .isInstanceOf(BatchReader.MalformedBody.class).hasMessageContaining("more after the first value");
    assertThatThrownBy(() -> BatchReader.read(new byte[0], false, 10)).isInstanceOf(BatchReader.MalformedBody.class)
        .hasMessageContaining("empty body");
  }
}
