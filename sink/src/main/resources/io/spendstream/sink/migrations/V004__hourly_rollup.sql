-- Independent of the stream's windows: an hourly rollup per tenant x route x model computed by
-- ClickHouse from llm_calls itself, so reconciliation can compare two paths.
CREATE TABLE IF NOT EXISTS ${local:llm_calls_hourly} ${on_cluster}
(
    hour                        DateTime('UTC'),
    tenant_id                   LowCardinality(String),
    route                       LowCardinality(String),
    model                       LowCardinality(String),
    calls                       UInt64,
    input_tokens                UInt64,
    output_tokens               UInt64,
    cache_read_input_tokens     UInt64,
    cache_creation_input_tokens UInt64,
    cost_nanos                  Int64
)
ENGINE = ${engine:SummingMergeTree()}
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant_id, hour, route, model)
TTL hour + INTERVAL ${ttl_days} DAY
-- the view's insert is deduplicated with the batch that triggered it only if this table has a window too
SETTINGS ${dedup_window_setting};
-- distributed: llm_calls_hourly cityHash64(tenant_id)

CREATE MATERIALIZED VIEW IF NOT EXISTS ${local:llm_calls_hourly_mv} ${on_cluster}
TO ${local:llm_calls_hourly} AS
SELECT toStartOfHour(ts) AS hour, tenant_id, route, model, count() AS calls,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cache_read_input_tokens) AS cache_read_input_tokens,
       sum(cache_creation_input_tokens) AS cache_creation_input_tokens, sum(cost_nanos) AS cost_nanos
FROM ${local:llm_calls}
GROUP BY hour, tenant_id, route, model;
