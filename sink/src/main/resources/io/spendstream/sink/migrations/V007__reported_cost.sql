-- The cost the emitter computed itself (Claude Code's cost_usd), nano-USD, beside ours for comparison only; NULL when
-- the emitter reported none. Our price catalog stays the source of money (cost_nanos).
ALTER TABLE ${local:llm_calls} ${on_cluster} ADD COLUMN IF NOT EXISTS reported_cost_nanos Nullable(Int64);

ALTER TABLE ${table:llm_calls} ${on_cluster} ADD COLUMN IF NOT EXISTS reported_cost_nanos Nullable(Int64);
