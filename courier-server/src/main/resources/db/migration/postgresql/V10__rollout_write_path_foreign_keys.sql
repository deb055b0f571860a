-- Foreign keys off the fan-out's write path. PostgreSQL checks each one with a query and a row lock
-- per inserted row: a rollout of 10,000 wrote its children and targets in about 270 ms alone and
-- spent some 350 ms more on these seven checks per child (measured 2026-12-08, docs/benchmarks.md).
-- No row of tenants, agents, rollouts or commands is ever deleted, so these keys could only catch a
-- write naming a row that never existed: a coding error, since each id below comes from a row the
-- writing transaction read or wrote itself.
--
-- rollout_targets is the dispatcher's own bookkeeping, written with its rollout and its children.
ALTER TABLE rollout_targets DROP CONSTRAINT rollout_targets_rollout_id_fkey;
ALTER TABLE rollout_targets DROP CONSTRAINT rollout_targets_tenant_id_fkey;
ALTER TABLE rollout_targets DROP CONSTRAINT rollout_targets_agent_id_fkey;
ALTER TABLE rollout_targets DROP CONSTRAINT rollout_targets_command_id_fkey;
-- A command's tenant is the one its service checked the agent against, and its rollout is created
-- or locked by the transaction that creates it. The key to its agent stays: that id can come from
-- an API request.
ALTER TABLE commands DROP CONSTRAINT commands_tenant_id_fkey;
ALTER TABLE commands DROP CONSTRAINT commands_rollout_id_fkey;
