-- When: the bill and spendstream disagree. Models seen without a price (counted at cost 0) in the last
-- 7 days: add them to the price catalog, then re-run reconciliation.
SELECT provider, model, price_status,
       count() AS calls,
       sum(input_tokens) AS input_tokens,
       sum(output_tokens) AS output_tokens,
       min(ts) AS first_seen,
       max(ts) AS last_seen,
       groupUniqArray(5)(tenant_id) AS tenants
FROM llm_calls
WHERE ts >= now64(3) - INTERVAL 7 DAY AND price_status != 'PRICED'
GROUP BY provider, model, price_status
ORDER BY calls DESC, provider, model
