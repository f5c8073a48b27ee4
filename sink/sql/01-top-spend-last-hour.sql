-- When: a cost spike pages you. Which tenant, route and feature burned the most money in the last hour?
SELECT tenant_id, route, feature,
       count() AS calls,
       sum(toInt128(cost_nanos)) AS spend_nanos,
       toDecimal128(spend_nanos, 9) / 1000000000 AS spend_usd
FROM llm_calls
WHERE ts >= now64(3) - INTERVAL 1 HOUR
GROUP BY tenant_id, route, feature
ORDER BY spend_nanos DESC, tenant_id, route, feature
LIMIT 20
