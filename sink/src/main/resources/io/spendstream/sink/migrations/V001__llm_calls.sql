-- Every priced call, one row per event_id (the stream processor dedupes; the sink's insert tokens make
-- retried batches land once). Ordered for the on-call questions: a tenant, a time range, a route, a model.
CREATE TABLE IF NOT EXISTS ${local:llm_calls} ${on_cluster}
(
    event_id                       String,
    ts                             DateTime64(3, 'UTC'),
    tenant_id                      LowCardinality(String),
    provider                       LowCardinality(String),
    model                          LowCardinality(String),
    priced_model                   LowCardinality(String),
    route                          LowCardinality(String),
    feature                        LowCardinality(String),
    user_id                        String,
    task_id                        String,
    parent_task_id                 String,
    prompt_hash                    String,
    input_tokens                   UInt64,
    output_tokens                  UInt64,
    cache_read_input_tokens        UInt64,
    cache_creation_input_tokens    UInt64,
    cache_creation_5m_input_tokens Nullable(UInt64),
    cache_creation_1h_input_tokens Nullable(UInt64),
    service_tier                   LowCardinality(String),
    latency_ms                     UInt32,
    ttft_ms                        Nullable(UInt32),
    stop_reason                    LowCardinality(String),
    status_code                    UInt16,
    error_type                     LowCardinality(String),
    request_id                     String,
    received_at                    Nullable(DateTime64(3, 'UTC')),
    attributes                     Map(LowCardinality(String), String),
    cost_nanos                     Int64,
    input_cost_nanos               Int64,
    output_cost_nanos              Int64,
    cache_read_cost_nanos          Int64,
    cache_write_cost_nanos         Int64,
    price_status                   LowCardinality(String),
    price_version                  LowCardinality(String),
    -- exact: nano-USD as a decimal with 9 places, for reading only
    cost_usd                       Decimal128(9) ALIAS toDecimal128(cost_nanos, 9) / 1000000000,
    kafka_partition                UInt32,
    kafka_offset                   UInt64,
    -- last offset of the sink batch that wrote the row: lets a restarted sink rebuild an interrupted batch exactly
    kafka_batch_end                UInt64,
    inserted_at                    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${engine:MergeTree()}
PARTITION BY toDate(ts)
ORDER BY (tenant_id, toStartOfHour(ts), route, model, ts)
TTL toDateTime(ts) + INTERVAL ${ttl_days} DAY
SETTINGS ${dedup_window_setting};
-- distributed: llm_calls cityHash64(tenant_id)
