-- When: one user may be scripting against you. Top 20 users by tokens today (all four kinds).
SELECT tenant_id, user_id,
       count() AS calls,
       sum(input_tokens + output_tokens + cache_read_input_tokens + cache_creation_input_tokens) AS tokens,
       sum(toInt128(cost_nanos)) AS cost_nanos
FROM llm_calls
WHERE ts >= toStartOfDay(now64(3)) AND user_id != ''
GROUP BY tenant_id, user_id
ORDER BY tokens DESC, tenant_id, user_id
LIMIT 20
