-- Foreign keys off the fan-out's write path. PostgreSQL checks each one with a query and a row lock
-- per inserted row. rollout_targets is the dispatcher's own bookkeeping, written with its rollout
-- and its children by RolloutDispatcher alone, and its four keys cost more than its rows: alone on
-- the 2-core reference machine, 10,000 targets took 170-280 ms to insert with them and 24-41 ms
-- without (measured 2026-12-08, docs/benchmarks.md). No row of tenants, agents, rollouts or
-- commands is ever deleted, and each id written here comes from a row the writing transaction read
-- or wrote itself, so these keys could only catch a coding error in that one class.
--
-- The keys of commands stay, although their three checks cost about as much again: a fan-out to
-- 10,000 agents, end to end, showed no difference beyond its noise, and commands is the table the
-- API writes with ids from its requests.
ALTER TABLE rollout_targets DROP CONSTRAINT rollout_targets_rollout_id_fkey;
ALTER TABLE rollout_targets DROP CONSTRAINT rollout_targets_tenant_id_fkey;
ALTER TABLE rollout_targets DROP CONSTRAINT rollout_targets_agent_id_fkey;
ALTER TABLE rollout_targets DROP CONSTRAINT rollout_targets_command_id_fkey;
