package io.spendstream.sink.rows;

import com.fasterxml.jackson.core.JsonGenerator;
import io.spendstream.schemas.avro.LlmCall;
import io.spendstream.schemas.avro.PricedCall;
import java.io.IOException;

/** llm.calls.priced.v1 -> llm_calls. */
public final class PricedCallRows implements RowEncoder<PricedCall> {
  @Override
  public String check(PricedCall p) {
    LlmCall c = p.getCall();
    String bad = Rows.unsigned("input_tokens", c.getInputTokens(), "output_tokens", c.getOutputTokens(),
        "cache_read_input_tokens", c.getCacheReadInputTokens(), "cache_creation_input_tokens",
        c.getCacheCreationInputTokens(), "cache_creation_5m_input_tokens", c.getCacheCreation5mInputTokens(),
        "cache_creation_1h_input_tokens", c.getCacheCreation1hInputTokens());
    if (bad == null) {
      bad = Rows.withinUInt32("latency_ms", c.getLatencyMs());
    }
    if (bad == null) {
      bad = Rows.storableTimes("timestamp", c.getTimestamp(), "received_at", c.getReceivedAt());
    }
    if (bad == null && c.getTtftMs() != null) {
      bad = Rows.withinUInt32("ttft_ms", c.getTtftMs());
    }
    if (bad == null && (c.getStatusCode() < 0 || c.getStatusCode() > 65_535)) {
      bad = "status_code: " + c.getStatusCode() + " does not fit UInt16";
    }
    return bad;
  }

  @Override
  public void write(JsonGenerator j, PricedCall p) throws IOException {
    LlmCall c = p.getCall();
    j.writeStringField("event_id", c.getEventId());
    Rows.time(j, "ts", c.getTimestamp());
    j.writeStringField("tenant_id", c.getTenantId());
    j.writeStringField("provider", c.getProvider());
    j.writeStringField("model", c.getModel());
    Rows.text(j, "priced_model", p.getPricedModel());
    j.writeStringField("route", c.getRoute());
    Rows.text(j, "feature", c.getFeature());
    Rows.text(j, "user_id", c.getUserId());
    Rows.text(j, "task_id", c.getTaskId());
    Rows.text(j, "parent_task_id", c.getParentTaskId());
    Rows.text(j, "prompt_hash", c.getPromptHash());
    j.writeNumberField("input_tokens", c.getInputTokens());
    j.writeNumberField("output_tokens", c.getOutputTokens());
    j.writeNumberField("cache_read_input_tokens", c.getCacheReadInputTokens());
    j.writeNumberField("cache_creation_input_tokens", c.getCacheCreationInputTokens());
    Rows.optionalLong(j, "cache_creation_5m_input_tokens", c.getCacheCreation5mInputTokens());
    Rows.optionalLong(j, "cache_creation_1h_input_tokens", c.getCacheCreation1hInputTokens());
    j.writeStringField("service_tier", c.getServiceTier().name().toLowerCase(java.util.Locale.ROOT));
    j.writeNumberField("latency_ms", c.getLatencyMs());
    Rows.optionalLong(j, "ttft_ms", c.getTtftMs());
    Rows.text(j, "stop_reason", c.getStopReason());
    j.writeNumberField("status_code", c.getStatusCode());
    Rows.text(j, "error_type", c.getErrorType());
    Rows.text(j, "request_id", c.getRequestId());
    Rows.time(j, "received_at", c.getReceivedAt());
    Rows.map(j, "attributes", c.getAttributes());
    Rows.optionalLong(j, "reported_cost_nanos", c.getReportedCostNanos());
    j.writeNumberField("cost_nanos", p.getCostNanos());
    j.writeNumberField("input_cost_nanos", p.getInputCostNanos());
    j.writeNumberField("output_cost_nanos", p.getOutputCostNanos());
    j.writeNumberField("cache_read_cost_nanos", p.getCacheReadCostNanos());
    j.writeNumberField("cache_write_cost_nanos", p.getCacheWriteCostNanos());
    j.writeStringField("price_status", p.getPriceStatus().name());
    Rows.text(j, "price_version", p.getPriceVersion());
  }
}
