-- Per-tenant bills from `spendstream reconcile`: one row per day x tenant x model family. A rerun of a day
-- replaces that day's partition in one step (REPLACE PARTITION from a table filled by the run), so readers
-- never see half of a day.
CREATE TABLE IF NOT EXISTS ${local:chargeback_daily} ${on_cluster}
(
    day                         Date,
    tenant_id                   LowCardinality(String),
    model                       LowCardinality(String),
    calls                       UInt64,
    input_tokens                UInt64,
    output_tokens               UInt64,
    cache_read_input_tokens     UInt64,
    cache_creation_input_tokens UInt64,
    -- our cost from llm_calls at list prices, nano-USD
    our_cost_nanos              Int64,
    -- the tenant's share of the provider's invoice for the model (largest-remainder pro rata); NULL without invoice
    provider_cost_nanos         Nullable(Int64),
    -- provider_cost_nanos - our_cost_nanos
    difference_nanos            Nullable(Int64),
    status                      LowCardinality(String),
    our_cost_usd                Decimal128(9) ALIAS toDecimal128(our_cost_nanos, 9) / 1000000000,
    provider_cost_usd           Nullable(Decimal128(9)) ALIAS toDecimal128(provider_cost_nanos, 9) / 1000000000,
    run_id                      String,
    reconciled_at               DateTime64(3, 'UTC')
)
ENGINE = ${engine:MergeTree()}
PARTITION BY day
ORDER BY (day, tenant_id, model);
-- distributed: chargeback_daily cityHash64(tenant_id)
