package io.spendstream.stream.merge;

import io.spendstream.schemas.avro.CostWindow;
import io.spendstream.schemas.avro.PricedCall;

/**
 * What a shard (one partition of llm.calls.v1) tells the merge stage: a closed base window's partial totals for one
 * tenant x model x route, that it has sent every partial of the windows ending at or before {@code upToMs}, or an
 * unpriced call.
 * A shard's partials of a window always come before the watermark that covers it (same producer, same partition).
 */
public sealed interface ShardReport {
  int shard();

  record Partial(int shard, CostWindow window) implements ShardReport {}

  record Watermark(int shard, long upToMs) implements ShardReport {}

  /**
   * A closed base window's totals of a tenant's tasks (calls with a task_id), one per task, all of one tenant and
   * window; keyed by tenant like partials.
   */
  record Tasks(int shard, java.util.List<io.spendstream.stream.state.avro.TaskPartial> tasks) implements ShardReport {}

  /**
   * A call without a price, keyed by provider x model: one merge task owns each model, so UNPRICED_MODEL is raised
   * once per model and period however many partitions see its calls.
   */
  record Unpriced(int shard, PricedCall call) implements ShardReport {}
}
