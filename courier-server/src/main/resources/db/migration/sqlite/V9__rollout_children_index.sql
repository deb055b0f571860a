-- A rollout's children by age, without their status: every transition of a child rewrote its
-- entry in the old (rollout_id, status) index, three times per command in a fan-out, for a query
-- (the cancel's unfinished children) that runs once per cancel. Listing a rollout's children,
-- newest first, and that cancel's walk in creation order now both read this index in order.
DROP INDEX commands_by_rollout;
CREATE INDEX commands_by_rollout ON commands (rollout_id, created_at, id) WHERE rollout_id IS NOT NULL;
