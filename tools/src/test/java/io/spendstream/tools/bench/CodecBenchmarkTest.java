package io.spendstream.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The codec benchmark's deterministic figure: bytes per record of each codec over its fixed records. The times beside
 * it are noisy and measured by {@code spendstream bench codecs}, not here; a codec change that grows the processor's
 * state shows up here.
 */
class CodecBenchmarkTest {
  @Test
  void everyCodecRoundTripsAndItsBytesPerRecordAreKnown() {
    List<CodecBenchmark.Row> rows = CodecBenchmark.run(2_000, 1); // throws if a codec does not round-trip
    Map<String, Double> bytes = rows.stream().filter(r -> r.bytesPerRecord() > 0)
        .collect(Collectors.toMap(r -> r.record() + " / " + r.codec(), CodecBenchmark.Row::bytesPerRecord));
    assertThat(bytes).containsExactlyInAnyOrderEntriesOf(Map.of(
        "TaskPartial / varint (ours)", VARINT_PARTIAL,
        "TaskPartial / Avro, reflective", AVRO_PARTIAL,
        "TaskPartial / Avro, custom coders", AVRO_PARTIAL,
        "TaskRun / varint (ours)", VARINT_RUN,
        "TaskRun / Avro, reflective", AVRO_RUN,
        "TaskRun / Avro, custom coders", AVRO_RUN));
    assertThat(rows).filteredOn(r -> r.codec().startsWith("baseline")).hasSize(2);
  }

  // total bytes of the 2,000 records, per record: Avro writes the same bytes with or without its generated coders
  private static final double VARINT_PARTIAL = 250_171 / 2_000.0;
  private static final double AVRO_PARTIAL = 253_514 / 2_000.0;
  private static final double VARINT_RUN = 352_535 / 2_000.0;
  private static final double AVRO_RUN = 356_657 / 2_000.0;
}
