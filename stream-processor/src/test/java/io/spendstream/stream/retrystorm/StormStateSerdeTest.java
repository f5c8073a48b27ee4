package io.spendstream.stream.retrystorm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.schemas.serde.MalformedRecordException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StormStateSerdeTest {
  private static final StormState STORM = new StormState(List.of(
      new RecentCall(1_795_000_000_123L, 0, 529, "overloaded_error", 3_000_000),
      new RecentCall(0, Long.MAX_VALUE, 200, null, Long.MAX_VALUE),
      new RecentCall(Long.MAX_VALUE, 1, Integer.MIN_VALUE, "erreur_é_日本", Long.MIN_VALUE),
      new RecentCall(1, 0, 0, "", 0)), 1_795_000_000_123L);

  @Test
  void everyFieldSurvivesTheRoundTrip() {
    for (StormState s : new StormState[] {STORM, new StormState(List.of(), null),
        new StormState(List.of(new RecentCall(5, 6, 200, null, 7)), Long.MIN_VALUE)}) {
      assertThat(StormStateSerde.decode(StormStateSerde.encode(s))).isEqualTo(s);
    }
  }

  @Test
  void aPromptSeenOnceTakesAboutTwentyBytes() {
    StormState once = new StormState(List.of(new RecentCall(1_795_000_000_123L, 120, 200, null, 4_500_000)), null);
    assertThat(StormStateSerde.encode(once)).hasSizeLessThan(25);
  }

  @Test
  void unknownVersionTruncatedTrailingAndImpossibleCountsAreRefused() {
    byte[] good = StormStateSerde.encode(STORM);
    byte[] otherVersion = good.clone();
    otherVersion[0] = 2;
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    byte[] hugeCount = StormStateSerde.encode(new StormState(List.of(), null));
    hugeCount[hugeCount.length - 1] = 0x7e; // zig-zag varint 63 calls, none there
    for (byte[] bad : new byte[][] {new byte[0], otherVersion, Arrays.copyOf(good, good.length - 3), trailing, hugeCount}) {
      assertThatThrownBy(() -> StormStateSerde.decode(bad)).isInstanceOf(MalformedRecordException.class);
    }
  }
}
