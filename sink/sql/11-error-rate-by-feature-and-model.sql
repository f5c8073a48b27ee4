-- When: errors are up and the route does not say why: which feature and which model fail, over the last hour.
SELECT feature, model,
       count() AS calls,
       countIf(status_code >= 400 OR error_type != '') AS errors,
       round(errors / calls, 4) AS error_rate,
       countIf(status_code = 429 OR error_type = 'rate_limit_error') AS rate_limited,
       groupUniqArrayIf(error_type, error_type != '') AS error_types
FROM llm_calls
WHERE ts >= now64(3) - INTERVAL 1 HOUR
GROUP BY feature, model
ORDER BY error_rate DESC, calls DESC, feature, model
