-- When: Claude Code's own counters (the metrics claude_code.cost.usage and claude_code.token.usage) disagree with the
-- calls we priced for the same session, sessions with points in the last 7 days: cost and each token kind side by
-- side, differences over 1 % and $0.0001 only, largest first. Tokens equal but cost not: Claude Code's price table is
-- not ours. Tokens missing on our side: api_request events were lost or not exported (OTEL_LOGS_EXPORTER unset);
-- our_calls 0: no events at all. reported_usage_by_session counts a point sent twice once.
SELECT r.tenant_id AS tenant_id, r.session_id AS session_id, c.our_calls AS our_calls,
       c.our_nanos AS our_nanos, r.reported_nanos AS reported_nanos, reported_nanos - our_nanos AS difference_nanos,
       round(100 * abs(toFloat64(difference_nanos)) / greatest(toFloat64(our_nanos), 1), 2) AS difference_pct,
       r.reported_input - c.our_input AS input_difference,
       r.reported_output - c.our_output AS output_difference,
       r.reported_cache_read - c.our_cache_read AS cache_read_difference,
       r.reported_cache_creation - c.our_cache_creation AS cache_creation_difference
FROM reported_usage_by_session AS r
LEFT JOIN (
    SELECT tenant_id, task_id AS session_id, count() AS our_calls, sum(toInt128(cost_nanos)) AS our_nanos,
           sum(input_tokens) AS our_input, sum(output_tokens) AS our_output,
           sum(cache_read_input_tokens) AS our_cache_read, sum(cache_creation_input_tokens) AS our_cache_creation
    FROM llm_calls
    WHERE ts >= now64(3) - INTERVAL 8 DAY AND task_id != ''
    GROUP BY tenant_id, task_id
) AS c ON c.tenant_id = r.tenant_id AND c.session_id = r.session_id
WHERE r.last_time >= now64(3) - INTERVAL 7 DAY
  AND abs(difference_nanos) > greatest(100000, intDiv(our_nanos, 100))
ORDER BY difference_pct DESC, tenant_id, session_id
