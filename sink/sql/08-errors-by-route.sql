-- When: a provider incident or a rate limit. Error rate and 429s per route over the last hour.
SELECT route,
       count() AS calls,
       countIf(status_code >= 400 OR error_type != '') AS errors,
       round(errors / calls, 4) AS error_rate,
       countIf(status_code = 429 OR error_type = 'rate_limit_error') AS rate_limited,
       groupUniqArrayIf(error_type, error_type != '') AS error_types
FROM llm_calls
WHERE ts >= now64(3) - INTERVAL 1 HOUR
GROUP BY route
ORDER BY error_rate DESC, route
