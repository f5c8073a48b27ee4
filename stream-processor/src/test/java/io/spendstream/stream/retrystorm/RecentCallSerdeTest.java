package io.spendstream.stream.retrystorm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.schemas.serde.MalformedRecordException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RecentCallSerdeTest {
  @Test
  void everyFieldSurvivesTheRoundTrip() {
    for (RecentCall c : new RecentCall[] {
        new RecentCall(1_795_000_000_123L, 0, 529, "overloaded_error", 3_000_000),
        new RecentCall(0, Long.MAX_VALUE, 200, null, Long.MAX_VALUE),
        new RecentCall(Long.MAX_VALUE, 1, Integer.MIN_VALUE, "erreur_é_日本", Long.MIN_VALUE),
        new RecentCall(1, 0, 0, "", 0)}) {
      assertThat(RecentCallSerde.decode(RecentCallSerde.encode(c))).isEqualTo(c);
    }
  }

  @Test
  void aCallTakesAboutFifteenBytes() {
    assertThat(RecentCallSerde.encode(new RecentCall(1_795_000_000_123L, 120, 200, null, 4_500_000))).hasSizeLessThan(20);
  }

  @Test
  void unknownVersionTruncatedAndTrailingBytesAreRefused() {
    byte[] good = RecentCallSerde.encode(new RecentCall(1_795_000_000_123L, 0, 529, "overloaded_error", 3_000_000));
    byte[] otherVersion = good.clone();
    otherVersion[0] = 2;
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    for (byte[] bad : new byte[][] {new byte[0], otherVersion, Arrays.copyOf(good, good.length - 3), trailing}) {
      assertThatThrownBy(() -> RecentCallSerde.decode(bad)).isInstanceOf(MalformedRecordException.class);
    }
  }
}
