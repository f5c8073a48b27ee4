-- Usage an emitter counted itself (usage.reported.v1: Claude Code's cost and token metrics), for cross-checking our
-- priced calls per session; never billed. A point exported twice has one event_id: read grouped by event_id (or
-- FINAL). Delta points add up; of a cumulative series (series_id, start_time) the newest point is the total.
CREATE TABLE IF NOT EXISTS ${local:reported_usage} ${on_cluster}
(
    event_id        String,
    tenant_id       LowCardinality(String),
    source          LowCardinality(String),
    metric          LowCardinality(String),
    kind            LowCardinality(String),
    session_id      String,
    model           LowCardinality(String),
    user_id         Nullable(String),
    series_id       String,
    cumulative      Bool,
    start_time      DateTime64(3, 'UTC'),
    time            DateTime64(3, 'UTC'),
    value           Int64,
    received_at     DateTime64(3, 'UTC'),
    kafka_partition UInt32,
    kafka_offset    UInt64,
    kafka_batch_end UInt64,
    inserted_at     DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ${engine:ReplacingMergeTree(inserted_at)}
PARTITION BY toYYYYMM(time)
ORDER BY (tenant_id, session_id, event_id)
TTL toDateTime(time) + INTERVAL ${ttl_days} DAY
SETTINGS ${dedup_window_setting};
-- distributed: reported_usage cityHash64(tenant_id)

-- Per session, what the emitter reported: each point once (by event_id), delta points added up, each cumulative series
-- (series_id, start_time) by its newest point; cost in nano-USD, tokens per kind, and when the first and last point was.
CREATE VIEW IF NOT EXISTS ${table:reported_usage_by_session} ${on_cluster} AS
SELECT tenant_id, session_id,
       sumIf(toInt128(series_value), kind = 'cost') AS reported_nanos,
       sumIf(series_value, kind = 'input') AS reported_input,
       sumIf(series_value, kind = 'output') AS reported_output,
       sumIf(series_value, kind = 'cache_read') AS reported_cache_read,
       sumIf(series_value, kind = 'cache_creation') AS reported_cache_creation,
       min(first_time) AS first_time,
       max(last_time) AS last_time
FROM (
    SELECT tenant_id, session_id, kind, series_id, start_time,
           if(any(cumulative), argMax(value, time), sum(value)) AS series_value,
           min(time) AS first_time, max(time) AS last_time
    FROM (
        SELECT tenant_id, session_id, kind, series_id, start_time, event_id,
               any(cumulative) AS cumulative, any(time) AS time, any(value) AS value
        FROM ${table:reported_usage}
        GROUP BY tenant_id, session_id, kind, series_id, start_time, event_id
    )
    GROUP BY tenant_id, session_id, kind, series_id, start_time
)
GROUP BY tenant_id, session_id;
