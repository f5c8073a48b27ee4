-- When: answers feel slow: latency percentiles per model over the last hour (p99 shows the tail a mean hides).
SELECT model,
       count() AS calls,
       quantileExact(0.5)(latency_ms) AS p50_ms,
       quantileExact(0.95)(latency_ms) AS p95_ms,
       quantileExact(0.99)(latency_ms) AS p99_ms,
       max(latency_ms) AS max_ms
FROM llm_calls
WHERE ts >= now64(3) - INTERVAL 1 HOUR
GROUP BY model
ORDER BY p99_ms DESC, model
