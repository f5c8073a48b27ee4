-- Final window values from cost.windows.v1, one row per window x dimension x shard (partition of the
-- input); a window's total is the sum over shards. A corrected or re-delivered window replaces the row
-- with the same key (ReplacingMergeTree keeps the highest version): read with FINAL or through the
-- cost_windows view, which does.
CREATE TABLE IF NOT EXISTS ${local:cost_windows_shards} ${on_cluster}
(
    window_start                DateTime64(3, 'UTC'),
    window_end                  DateTime64(3, 'UTC'),
    window_size_ms              UInt32,
    tenant_id                   LowCardinality(String),
    route                       LowCardinality(String),
    model                       LowCardinality(String),
    shard                       UInt16,
    calls                       UInt64,
    errors                      UInt64,
    rate_limited                UInt64,
    max_tokens_stops            UInt64,
    unpriced_calls              UInt64,
    input_tokens                UInt64,
    output_tokens               UInt64,
    cache_read_input_tokens     UInt64,
    cache_creation_input_tokens UInt64,
    cost_nanos                  Int64,
    latency_sum_ms              UInt64,
    latency_max_ms              UInt64,
    latency_histogram           Array(UInt64),
    -- the record's offset: a window delivered again later replaces the earlier row
    version                     UInt64,
    kafka_partition             UInt32,
    kafka_offset                UInt64,
    kafka_batch_end             UInt64
)
ENGINE = ${engine:ReplacingMergeTree(version)}
PARTITION BY toYYYYMM(window_start)
ORDER BY (window_size_ms, tenant_id, window_start, route, model, shard)
TTL toDateTime(window_start) + INTERVAL ${ttl_days} DAY
SETTINGS ${dedup_window_setting};
-- distributed: cost_windows_shards cityHash64(tenant_id)

-- Windows summed over shards, corrected rows replaced: what people query.
CREATE VIEW IF NOT EXISTS ${table:cost_windows} ${on_cluster} AS
SELECT window_start, window_end, window_size_ms, tenant_id, route, model,
       sum(calls) AS calls, sum(errors) AS errors, sum(rate_limited) AS rate_limited,
       sum(max_tokens_stops) AS max_tokens_stops, sum(unpriced_calls) AS unpriced_calls,
       sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cache_read_input_tokens) AS cache_read_input_tokens,
       sum(cache_creation_input_tokens) AS cache_creation_input_tokens,
       sum(cost_nanos) AS cost_nanos, sum(latency_sum_ms) AS latency_sum_ms, max(latency_max_ms) AS latency_max_ms
FROM ${table:cost_windows_shards} FINAL
GROUP BY window_start, window_end, window_size_ms, tenant_id, route, model;
