package io.spendstream.schemas.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Rfc3339Test {
  @Test
  void fastPathAgreesWithTheJdkParserOnRandomInstants() {
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < 100_000; i++) {
      Instant t = Instant.ofEpochSecond(r.nextLong(946_684_800L, 7_258_118_400L), r.nextInt(1_000_000_000));
      String full = t.toString(); // ISO_INSTANT: 0, 3, 6 or 9 fraction digits, Z
      int cut = r.nextInt(10);
      String text = full.contains(".") && cut > 0 ? full.substring(0, Math.min(full.length() - 1, full.indexOf('.') + 1 + cut)) + "Z"
          : full;
      Instant expected = OffsetDateTime.parse(text).toInstant().truncatedTo(ChronoUnit.MILLIS);
      assertThat(Rfc3339.parseUtcMillis(text)).as(text).isEqualTo(expected);
    }
  }

  @Test
  void otherShapesAndInvalidDatesFallBackToTheGeneralParser() {
    assertThat(Rfc3339.parseUtcMillis("2026-11-23T11:15:30.123+01:00")).isNull();
    assertThat(Rfc3339.parseUtcMillis("2026-02-30T10:00:00Z")).isNull();
    assertThat(Rfc3339.parseUtcMillis("2026-11-23T24:00:00Z")).isNull();
    assertThat(Rfc3339.parseUtcMillis("2026-11-23T10:00:00.Z")).isNull();
    assertThat(Rfc3339.parseUtcMillis("2026-11-23 10:00:00Z")).isNull();
    assertThat(Rfc3339.parseUtcMillis("+2026-11-23T10:00:00Z")).isNull();
    assertThat(Rfc3339.parseUtcMillis("2026-11-23t10:15:30.5z")).isEqualTo(Instant.parse("2026-11-23T10:15:30.500Z"));
  }
}
