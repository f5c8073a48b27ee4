-- When: errors spike and the bill follows. Prompt hashes called more than 5 times within 60 s in the last
-- hour (the same rule as the RETRY_STORM detector): how often, how much wasted, which errors.
SELECT tenant_id, prompt_hash,
       max(calls_in_60s) AS max_calls_in_60s,
       count() AS calls_last_hour,
       sum(toInt128(cost_nanos)) AS cost_nanos,
       countIf(output_tokens = 0) AS zero_output_calls,
       groupUniqArrayIf(error_type, error_type != '') AS error_types,
       any(route) AS route
FROM
(
    SELECT tenant_id, prompt_hash, route, cost_nanos, output_tokens, error_type,
           count() OVER (PARTITION BY tenant_id, prompt_hash ORDER BY toUnixTimestamp64Milli(ts)
                         RANGE BETWEEN 59999 PRECEDING AND CURRENT ROW) AS calls_in_60s
    FROM llm_calls
    WHERE ts >= now64(3) - INTERVAL 1 HOUR AND prompt_hash != ''
)
GROUP BY tenant_id, prompt_hash
HAVING max_calls_in_60s > 5
ORDER BY cost_nanos DESC, tenant_id, prompt_hash
