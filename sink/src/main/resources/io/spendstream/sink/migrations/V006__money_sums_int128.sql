-- Money sums that cannot wrap: ClickHouse's sum() of an Int64 column is an Int64 that silently wraps past
-- 9.2e18 nano-USD ($9.2 billion). The hourly rollup stores and sums cost as Int128, and the windows view sums
-- it as Int128; queries over llm_calls use sum(toInt128(cost_nanos)) (see sink/sql and docs).
ALTER TABLE ${local:llm_calls_hourly} ${on_cluster} MODIFY COLUMN cost_nanos Int128;

ALTER TABLE ${table:llm_calls_hourly} ${on_cluster} MODIFY COLUMN cost_nanos Int128;

DROP VIEW IF EXISTS ${local:llm_calls_hourly_mv} ${on_cluster};

CREATE MATERIALIZED VIEW IF NOT EXISTS ${local:llm_calls_hourly_mv} ${on_cluster}
TO ${local:llm_calls_hourly} AS
SELECT toStartOfHour(ts) AS hour, tenant_id, route, model, count() AS calls,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cache_read_input_tokens) AS cache_read_input_tokens,
       sum(cache_creation_input_tokens) AS cache_creation_input_tokens, sum(toInt128(cost_nanos)) AS cost_nanos
FROM ${local:llm_calls}
GROUP BY hour, tenant_id, route, model;

CREATE OR REPLACE VIEW ${table:cost_windows} ${on_cluster} AS
SELECT window_start, window_end, window_size_ms, tenant_id, route, model,
       sum(calls) AS calls, sum(errors) AS errors, sum(rate_limited) AS rate_limited,
       sum(max_tokens_stops) AS max_tokens_stops, sum(unpriced_calls) AS unpriced_calls,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cache_read_input_tokens) AS cache_read_input_tokens,
       sum(cache_creation_input_tokens) AS cache_creation_input_tokens,
       sum(toInt128(cost_nanos)) AS cost_nanos, sum(latency_sum_ms) AS latency_sum_ms, max(latency_max_ms) AS latency_max_ms
FROM ${table:cost_windows_shards} FINAL
GROUP BY window_start, window_end, window_size_ms, tenant_id, route, model;
