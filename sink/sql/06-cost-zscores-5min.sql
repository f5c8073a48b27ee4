-- When: you want to see what the COST_ANOMALY detector sees. 5-minute cost per tenant x route over the
-- last 6 h with mean, standard deviation and z-score of the previous 24 buckets (window functions).
-- Unlike the detector, buckets without calls are absent here rather than 0.
SELECT tenant_id, route, bucket, cost_nanos,
       round(avg(cost_nanos) OVER w, 0) AS mean_prev_24,
       round(stddevPop(cost_nanos) OVER w, 0) AS stddev_prev_24,
       round((toFloat64(cost_nanos) - mean_prev_24) / greatest(stddev_prev_24, 10000000, 0.1 * mean_prev_24), 2) AS z
FROM
(
    SELECT tenant_id, route, toStartOfFiveMinutes(ts) AS bucket, sum(toInt128(cost_nanos)) AS cost_nanos
    FROM llm_calls
    WHERE ts >= now64(3) - INTERVAL 6 HOUR
    GROUP BY tenant_id, route, bucket
)
WINDOW w AS (PARTITION BY tenant_id, route ORDER BY bucket ROWS BETWEEN 24 PRECEDING AND 1 PRECEDING)
ORDER BY z DESC, tenant_id, route, bucket
LIMIT 50
