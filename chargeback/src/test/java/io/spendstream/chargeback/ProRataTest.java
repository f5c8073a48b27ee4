package io.spendstream.chargeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProRataTest {
  @Test
  void leftoverNanosGoToTheLargestRemaindersThenAlphabetically() {
    // 100 over 1:1:1 = 33.33 each: one nano left, equal remainders -> the alphabetically first tenant
    assertThat(ProRata.split(100, Map.of("b", 1L, "a", 1L, "c", 1L))).containsExactly(
        Map.entry("a", 34L), Map.entry("b", 33L), Map.entry("c", 33L));
    // 10 over 1:2:3: 1.67, 3.33, 5.0 -> floors 1,3,5 (9); remainder 0.67 is the largest -> a gets the nano
    assertThat(ProRata.split(10, Map.of("a", 1L, "b", 2L, "c", 3L))).containsExactly(
        Map.entry("a", 2L), Map.entry("b", 3L), Map.entry("c", 5L));
  }

  @Test
  void sharesAlwaysSumToTheAmountExactly() {
    Random rnd = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      long amount = rnd.nextLong(-1_000_000_000_000L, 5_000_000_000_000L);
      Map<String, Long> w = new java.util.HashMap<>();
      int n = 1 + rnd.nextInt(12);
      for (int t = 0; t < n; t++) {
        w.put("t" + t, rnd.nextLong(0, 10_000_000_000_000L));
      }
      w.put("t0", w.get("t0") + 1);
      Map<String, Long> s = ProRata.split(amount, w);
      assertThat(s.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(amount);
      assertThat(s).containsOnlyKeys(w.keySet());
    }
  }

  @Test
  void zeroTotalWeightIsRefused() {
    assertThatThrownBy(() -> ProRata.split(5, Map.of("a", 0L))).isInstanceOf(IllegalArgumentException.class);
  }
}
