package io.spendstream.stream.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.serde.MalformedRecordException;
import io.spendstream.stream.TestCalls;
import io.spendstream.stream.kafka.InternalAvroSerde;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CostWindowStateSerdeTest {
  private static CostWindow window() {
    CostWindow w = CostWindows.finish(CostWindows.empty(), 1_700_000_040_000L, 1_700_000_100_000L);
    w.setShard(2);
    CostWindows.add(w, TestCalls.priced(TestCalls.call(Instant.ofEpochMilli(1_700_000_050_000L)).setTenantId("acme")
        .setRoute("/v1/chat \"quoted\" \u2713 \u05e9").setLatencyMs(987).setStatusCode(429).setErrorType("rate_limit_error").build()));
    w.setCostNanos(Long.MAX_VALUE - 1); // extremes survive: varints, not a guessed fixed width
    w.setLatencyMaxMs(Long.MIN_VALUE + 1);
    return w;
  }

  @Test
  void everyFieldSurvivesTheRoundTrip() {
    CostWindow w = window();
    assertThat(CostWindowStateSerde.decode(CostWindowStateSerde.encode(w))).isEqualTo(w);
    assertThat(CostWindowStateSerde.encode(w)[0]).isEqualTo(CostWindowStateSerde.VERSION);
  }

  @Test
  void theCodecKnowsEveryFieldOfCostWindow() {
    // the codec lists the fields by hand: a field added to CostWindow.avsc must be added there (and here)
    assertThat(CostWindow.getClassSchema().getFields()).extracting(f -> f.name()).containsExactly("window_start",
        "window_end", "window_size_ms", "tenant_id", "route", "model", "calls", "errors", "rate_limited", "max_tokens_stops",
        "unpriced_calls", "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens",
        "cost_nanos", "latency_sum_ms", "latency_max_ms", "shard", "latency_histogram");
  }

  @Test
  void stateWrittenBeforeThisFormatIsStillRead() {
    CostWindow w = window();
    byte[] legacy = InternalAvroSerde.of(CostWindow.class).encode(w);
    assertThat(legacy[0]).as("an Avro varint of a time after 1970 never looks like the version byte")
        .isNotEqualTo(CostWindowStateSerde.VERSION);
    assertThat(CostWindowStateSerde.decode(legacy)).isEqualTo(w);
  }

  @Test
  void nullIsNull() {
    assertThat(CostWindowStateSerde.encode(null)).isNull();
    assertThat(CostWindowStateSerde.decode(null)).isNull();
  }

  @Test
  void truncatedOrTrailingBytesAreRefusedNotMisread() {
    byte[] bytes = CostWindowStateSerde.encode(window());
    assertThatThrownBy(() -> CostWindowStateSerde.decode(Arrays.copyOf(bytes, bytes.length + 1)))
        .isInstanceOf(MalformedRecordException.class).hasMessageContaining("trailing");
    assertThatThrownBy(() -> CostWindowStateSerde.decode(Arrays.copyOf(bytes, 20)))
        .isInstanceOf(MalformedRecordException.class).hasMessageContaining("not a cost window state");
  }
}
