-- When: cost per call jumped on a route without more traffic (someone switched the model, or the prompt
-- grew). Routes whose cost per call in the last hour is more than 3x their cost per call over the week before.
SELECT tenant_id, route,
       round(last_hour_per_call) AS last_hour_nanos_per_call,
       round(week_per_call) AS week_nanos_per_call,
       round(last_hour_per_call / week_per_call, 1) AS ratio,
       models_last_hour, models_week
FROM
(
    SELECT tenant_id, route,
           sumIf(cost_nanos, ts >= now64(3) - INTERVAL 1 HOUR) / nullIf(countIf(ts >= now64(3) - INTERVAL 1 HOUR), 0) AS last_hour_per_call,
           sumIf(cost_nanos, ts < now64(3) - INTERVAL 1 HOUR) / nullIf(countIf(ts < now64(3) - INTERVAL 1 HOUR), 0) AS week_per_call,
           groupUniqArrayIf(model, ts >= now64(3) - INTERVAL 1 HOUR) AS models_last_hour,
           groupUniqArrayIf(model, ts < now64(3) - INTERVAL 1 HOUR) AS models_week
    FROM llm_calls
    WHERE ts >= now64(3) - INTERVAL 8 DAY
    GROUP BY tenant_id, route
)
WHERE last_hour_per_call > 3 * week_per_call
ORDER BY ratio DESC, tenant_id, route
