-- When: users complain it is slow or answers are cut off. p50/p95 latency and the max_tokens stop rate
-- per feature over the last hour.
SELECT feature,
       count() AS calls,
       quantileExact(0.5)(latency_ms) AS p50_latency_ms,
       quantileExact(0.95)(latency_ms) AS p95_latency_ms,
       round(countIf(stop_reason = 'max_tokens') / calls, 4) AS max_tokens_stop_rate
FROM llm_calls
WHERE ts >= now64(3) - INTERVAL 1 HOUR
GROUP BY feature
ORDER BY p95_latency_ms DESC, feature
