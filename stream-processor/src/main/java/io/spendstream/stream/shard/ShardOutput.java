package io.spendstream.stream.shard;

import io.spendstream.schemas.avro.Alert;
import io.spendstream.schemas.avro.PricedCall;
import io.spendstream.stream.merge.ShardReport;
import io.spendstream.stream.pricing.SourceKey;

/** What the one pass over a record of llm.calls.v1 sends on (duplicates and ticks send nothing of their own). */
public sealed interface ShardOutput {
  /** To llm.calls.priced.v1, on the partition number the call came in on. */
  record Priced(SourceKey key, PricedCall call) implements ShardOutput {}

  /** To llm.calls.dlq.v1 with the reason in headers. */
  record DeadLetter(byte[] key, byte[] value) implements ShardOutput {}

  /** To llm.calls.rerouted.v1 under the call's {@link io.spendstream.schemas.CallKeys key}: it was on another partition. */
  record Reroute(byte[] key, byte[] value) implements ShardOutput {}

  /**
   * To the merge stage, partitioned by {@code key}: the tenant (partials), provider x model (unpriced calls); watermarks
   * go to every partition.
   */
  record Report(String key, ShardReport report) implements ShardOutput {}

  /** To alerts.v1 (retry storms: detected on the crossing call). */
  record Raised(Alert alert) implements ShardOutput {}
}
