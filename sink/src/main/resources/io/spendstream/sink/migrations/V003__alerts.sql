-- Every alert as raised; the same alert_id delivered twice is one row after merges (read with FINAL).
CREATE TABLE IF NOT EXISTS ${local:alerts} ${on_cluster}
(
    alert_id        String,
    type            LowCardinality(String),
    severity        LowCardinality(String),
    status          LowCardinality(String),
    tenant_id       LowCardinality(String),
    dimension       LowCardinality(String),
    dimension_value String,
    route           LowCardinality(String),
    model           LowCardinality(String),
    detected_at     DateTime64(3, 'UTC'),
    window_start    Nullable(DateTime64(3, 'UTC')),
    window_end      Nullable(DateTime64(3, 'UTC')),
    observed_value  Int64,
    threshold       Int64,
    baseline        Nullable(Int64),
    observed_unit   LowCardinality(String),
    z_score         Nullable(Float64),
    cost_nanos      Int64,
    message         String,
    evidence        Map(String, String),
    kafka_partition UInt32,
    kafka_offset    UInt64,
    kafka_batch_end UInt64,
    inserted_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${engine:ReplacingMergeTree(inserted_at)}
PARTITION BY toYYYYMM(detected_at)
ORDER BY (tenant_id, detected_at, type, alert_id)
TTL toDateTime(detected_at) + INTERVAL ${ttl_days} DAY
SETTINGS ${dedup_window_setting};
-- distributed: alerts cityHash64(tenant_id)
