-- When: month-end, or finance asks "are we on budget?". Daily spend this month with the running total
-- against a monthly budget. Parameter: budget_usd (e.g. --param budget_usd=25000).
SELECT day,
       cost_usd,
       sum(cost_usd) OVER (ORDER BY day) AS month_to_date_usd,
       {budget_usd:Decimal(18, 2)} AS budget_usd,
       round(toFloat64(month_to_date_usd) / toFloat64(budget_usd) * 100, 1) AS budget_used_pct
FROM
(
    SELECT toDate(ts) AS day, toDecimal128(sum(toInt128(cost_nanos)), 9) / 1000000000 AS cost_usd
    FROM llm_calls
    WHERE ts >= toStartOfMonth(now64(3))
    GROUP BY day
)
ORDER BY day
