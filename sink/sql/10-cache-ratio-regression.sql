-- When: cost per call crept up and traffic looks the same: did a prompt change stop the cache from hitting? Routes
-- whose cache hit ratio over the last hour is below 70 % of the 7 days before it (ratio = cache read / (input + cache
-- read + cache creation), as the CACHE_RATIO_REGRESSION alert and the dashboard define it).
SELECT tenant_id, route,
       round(last_hour_ratio, 4) AS last_hour_ratio,
       round(baseline_ratio, 4) AS baseline_ratio,
       last_hour_input_side_tokens,
       baseline_input_side_tokens
FROM
(
    SELECT tenant_id, route,
           sumIf(input_tokens + cache_read_input_tokens + cache_creation_input_tokens, ts >= now64(3) - INTERVAL 1 HOUR)
               AS last_hour_input_side_tokens,
           sumIf(input_tokens + cache_read_input_tokens + cache_creation_input_tokens, ts < now64(3) - INTERVAL 1 HOUR)
               AS baseline_input_side_tokens,
           sumIf(cache_read_input_tokens, ts >= now64(3) - INTERVAL 1 HOUR) / nullIf(last_hour_input_side_tokens, 0)
               AS last_hour_ratio,
           sumIf(cache_read_input_tokens, ts < now64(3) - INTERVAL 1 HOUR) / nullIf(baseline_input_side_tokens, 0)
               AS baseline_ratio
    FROM llm_calls
    WHERE ts >= now64(3) - INTERVAL 8 DAY
    GROUP BY tenant_id, route
)
WHERE last_hour_ratio < 0.7 * baseline_ratio
ORDER BY baseline_ratio - last_hour_ratio DESC, tenant_id, route
