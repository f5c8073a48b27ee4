-- When: cost per call went up with no traffic change. Is prompt caching still working, per model, over 24 h?
-- Ratio = cache read / (input + cache read + cache creation) tokens: the one definition of the dashboard and the
-- CACHE_RATIO_REGRESSION alert.
SELECT model,
       sum(cache_read_input_tokens) AS cache_read_tokens,
       sum(input_tokens) AS uncached_input_tokens,
       sum(cache_creation_input_tokens) AS cache_creation_tokens,
       round(sum(cache_read_input_tokens)
             / nullIf(sum(input_tokens + cache_read_input_tokens + cache_creation_input_tokens), 0), 4) AS cache_hit_ratio
FROM llm_calls
WHERE ts >= now64(3) - INTERVAL 24 HOUR
GROUP BY model
ORDER BY cache_hit_ratio ASC, model
