-- When: one agent run may be looping. The 20 most expensive tasks (not calls) over 24 h: how many hops
-- (calls), how long from the first call to the end of the last one, and what they cost.
SELECT tenant_id, task_id,
       count() AS hops,
       sum(toInt128(cost_nanos)) AS spend_nanos,
       toDecimal128(spend_nanos, 9) / 1000000000 AS spend_usd,
       min(ts) AS first_call,
       dateDiff('millisecond', min(ts), max(ts + toIntervalMillisecond(latency_ms))) / 1000 AS wall_clock_s,
       groupUniqArray(5)(route) AS routes
FROM llm_calls
WHERE ts >= now64(3) - INTERVAL 24 HOUR AND task_id != ''
GROUP BY tenant_id, task_id
ORDER BY spend_nanos DESC, tenant_id, task_id
LIMIT 20
