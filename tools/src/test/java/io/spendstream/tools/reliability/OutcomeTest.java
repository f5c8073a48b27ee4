package io.spendstream.tools.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutcomeTest {
  private static Outcome exact() {
    return new Outcome("kill-sink", "sink SIGKILL, restarted", 1_000, 1_000, 1_000, 0, Set.of("h1", "h2"), Map.of("h1", 1L, "h2", 1L),
        2, 2, 1, -1, List.of(), List.of("fault 3.1 s"), List.of()).withWindows(new Ledger.WindowCheck(40, List.of()));
  }

  @Test
  void exactAccountingPasses() {
    Outcome o = exact();
    assertThat(o.problems()).isEmpty();
    assertThat(o.passed()).isTrue();
    assertThat(Outcome.table(List.of(o))).contains("| kill-sink | sink SIGKILL, restarted | 1,000 | 1,000 | 0 | 0 | 40/40 exact |"
        + " 2/2 storms once · 2/2 delivered (+1 repeat, same key) | fault 3.1 s | PASS |");
  }

  @Test
  void everyKindOfInexactnessFails() {
    Outcome o = new Outcome("kill-processor", "x", 1_000, 998, 1_001, 2, Set.of("h1", "h2", "h3"), Map.of("h1", 2L, "h2", 1L), 3, 2, 0,
        -1, List.of(), List.of(), List.of("gateway never answered 503"));
    assertThat(o.lost()).isEqualTo(2);
    assertThat(o.duplicates()).isEqualTo(3);
    assertThat(o.problems()).containsExactlyInAnyOrder("2 acknowledged events missing from llm_calls", "3 duplicate rows in llm_calls",
        "2 rows in llm_calls that were never acknowledged", "storm h1: 2 RETRY_STORM alerts on alerts.v1 (expected exactly 1)",
        "storm h3: 0 RETRY_STORM alerts on alerts.v1 (expected exactly 1)", "1 of 3 alerts never reached the receiver",
        "windows not checked", "gateway never answered 503");
    Outcome windowsOff = exact().withWindows(new Ledger.WindowCheck(40, List.of("/v1/chat | m | 60 raw=a window=b")));
    assertThat(windowsOff.problems()).containsExactly("1 windows differ from the raw rows, e.g. /v1/chat | m | 60 raw=a window=b");
    assertThat(Outcome.table(List.of(o, windowsOff))).contains("| **FAIL** |").contains("39/40 exact").contains("1/3 storms once");
  }
}
