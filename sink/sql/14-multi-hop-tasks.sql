-- When: an agent may be looping: tasks with more than 3 calls over 24 h (a subtask's calls under its parent task,
-- one level), their hops, cost and token totals by type, most hops first.
SELECT tenant_id,
       if(parent_task_id != '', parent_task_id, task_id) AS root_task,
       count() AS hops,
       uniqExact(task_id) AS tasks,
       sum(toInt128(cost_nanos)) AS spend_nanos,
       sum(input_tokens) AS input_tokens,
       sum(output_tokens) AS output_tokens,
       sum(cache_read_input_tokens) AS cache_read_tokens,
       sum(cache_creation_input_tokens) AS cache_creation_tokens,
       min(ts) AS first_call,
       max(ts) AS last_call
FROM llm_calls
WHERE ts >= now64(3) - INTERVAL 24 HOUR AND task_id != ''
GROUP BY tenant_id, root_task
HAVING hops > 3
ORDER BY hops DESC, tenant_id, root_task
