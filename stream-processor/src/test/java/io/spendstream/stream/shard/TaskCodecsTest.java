package io.spendstream.stream.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spendstream.schemas.serde.MalformedRecordException;
import io.spendstream.stream.state.avro.TaskPartial;
import io.spendstream.stream.state.avro.TaskRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskCodecsTest {
  static TaskPartial partial(String parent) {
    return TaskPartial.newBuilder().setTenantId("acmé").setTaskId("t-1").setParentTaskId(parent).setStart(1_800_000_000_000L)
        .setCalls(13).setCostNanos(Long.MAX_VALUE).setInputTokens(10_000_000).setOutputTokens(0).setCacheReadTokens(7)
        .setCacheCreationTokens(8).setFirstAt(1_800_000_000_001L).setLastAt(1_800_000_059_999L)
        .setRoutes(new ArrayList<>(List.of("/v1/agent", "/tools"))).setModels(new ArrayList<>(List.of("claude-opus-4-7")))
        .build();
  }

  @Test
  void partialsAndRunsRoundTripExactly() {
    for (String parent : new String[] {null, "root"}) {
      TaskPartial p = partial(parent);
      assertThat(TaskPartialSerde.decode(TaskPartialSerde.encode(p))).isEqualTo(p);
      TaskRun r = TaskRun.newBuilder().setRun(p).setLifetimeCostNanos(42).setHopsFired(true).setCostFired(false)
          .setConversationFired(true).setChildren(new ArrayList<>(List.of("sub-1", "sub-2"))).build();
      assertThat(TaskRunSerde.decode(TaskRunSerde.encode(r))).isEqualTo(r);
    }
  }

  @Test
  void bytesThatAreNotOneAreRefusedByName() {
    byte[] ok = TaskPartialSerde.encode(partial(null));
    assertThatThrownBy(() -> TaskPartialSerde.decode(new byte[] {9})).isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("unknown version");
    assertThatThrownBy(() -> TaskPartialSerde.decode(Arrays.copyOf(ok, ok.length + 1))).hasMessageContaining("trailing bytes");
    assertThatThrownBy(() -> TaskRunSerde.decode(Arrays.copyOf(ok, 3))).isInstanceOf(MalformedRecordException.class);
  }
}
