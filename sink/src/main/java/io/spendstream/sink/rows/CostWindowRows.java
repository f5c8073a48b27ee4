package io.spendstream.sink.rows;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spendstream.schemas.avro.CostWindow;
import java.io.IOException;

/** cost.windows.v1 -> cost_windows_shards (version = the record's offset: a later delivery wins). */
public final class CostWindowRows implements RowEncoder<CostWindow> {
  @Override
  public String check(CostWindow w) {
    String bad = Rows.unsigned("calls", w.getCalls(), "errors", w.getErrors(), "input_tokens", w.getInputTokens(),
        "output_tokens", w.getOutputTokens(), "cache_read_input_tokens", w.getCacheReadInputTokens(),
        "cache_creation_input_tokens", w.getCacheCreationInputTokens(), "latency_sum_ms", w.getLatencySumMs());
    bad = bad != null ? bad : Rows.withinUInt32("window_size_ms", w.getWindowSizeMs());
    return bad != null ? bad : Rows.storableTimes("window_start", w.getWindowStart(), "window_end", w.getWindowEnd());
  }

  @Override
  public void write(JsonGenerator j, CostWindow w) throws IOException {
    Rows.time(j, "window_start", w.getWindowStart());
    Rows.time(j, "window_end", w.getWindowEnd());
    j.writeNumberField("window_size_ms", w.getWindowSizeMs());
    j.writeStringField("tenant_id", w.getTenantId());
    j.writeStringField("route", w.getRoute());
    j.writeStringField("model", w.getModel());
    j.writeNumberField("shard", w.getShard());
    j.writeNumberField("calls", w.getCalls());
    j.writeNumberField("errors", w.getErrors());
    j.writeNumberField("rate_limited", w.getRateLimited());
    j.writeNumberField("max_tokens_stops", w.getMaxTokensStops());
    j.writeNumberField("unpriced_calls", w.getUnpricedCalls());
    j.writeNumberField("input_tokens", w.getInputTokens());
    j.writeNumberField("output_tokens", w.getOutputTokens());
    j.writeNumberField("cache_read_input_tokens", w.getCacheReadInputTokens());
    j.writeNumberField("cache_creation_input_tokens", w.getCacheCreationInputTokens());
    j.writeNumberField("cost_nanos", w.getCostNanos());
    j.writeNumberField("latency_sum_ms", w.getLatencySumMs());
    j.writeNumberField("latency_max_ms", w.getLatencyMaxMs());
    j.writeArrayFieldStart("latency_histogram");
    for (Long n : w.getLatencyHistogram()) {
      j.writeNumber(n);
    }
    j.writeEndArray();
  }
}
