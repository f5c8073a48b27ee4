-- When: the morning report or a FinOps review: per day, tenant and feature over the last 7 days, calls, spend,
-- tokens by type and errors.
SELECT toDate(ts) AS day, tenant_id, feature,
       count() AS calls,
       sum(toInt128(cost_nanos)) AS spend_nanos,
       toDecimal128(spend_nanos, 9) / 1000000000 AS spend_usd,
       sum(input_tokens) AS input_tokens,
       sum(output_tokens) AS output_tokens,
       sum(cache_read_input_tokens) AS cache_read_tokens,
       sum(cache_creation_input_tokens) AS cache_creation_tokens,
       countIf(status_code >= 400 OR error_type != '') AS errors
FROM llm_calls
WHERE ts >= toStartOfDay(now64(3)) - INTERVAL 6 DAY
GROUP BY day, tenant_id, feature
ORDER BY day DESC, spend_nanos DESC, tenant_id, feature
