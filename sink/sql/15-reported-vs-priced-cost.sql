-- When: the cost an emitter computed itself (Claude Code's cost_usd) disagrees with ours: per task (a Claude Code
-- session) over 7 days, our priced cost beside the reported one, differences over 1 % and $0.0001 only, largest
-- relative difference first. Ours is what chargeback bills; a difference means the emitter's price table is not ours
-- (an old price, a discount, a model we price differently).
SELECT tenant_id,
       task_id,
       count() AS calls,
       sum(toInt128(cost_nanos)) AS our_nanos,
       sum(toInt128(assumeNotNull(reported_cost_nanos))) AS reported_nanos,
       reported_nanos - our_nanos AS difference_nanos,
       round(100 * abs(toFloat64(difference_nanos)) / greatest(toFloat64(our_nanos), 1), 2) AS difference_pct
FROM llm_calls
WHERE ts >= now64(3) - INTERVAL 7 DAY AND reported_cost_nanos IS NOT NULL
GROUP BY tenant_id, task_id
HAVING abs(difference_nanos) > greatest(100000, intDiv(our_nanos, 100))
ORDER BY difference_pct DESC, tenant_id, task_id
