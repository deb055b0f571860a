-- Rollouts dispatch their children as max_concurrency allows, so a selected agent waits as a
-- target row until a slot frees; every target is counted in exactly one state.
ALTER TABLE rollouts ADD COLUMN queued_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollouts ADD COLUMN cancelling_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollouts ADD COLUMN skipped_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollouts ADD COLUMN canary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rollouts ADD COLUMN max_concurrency_spec TEXT;
ALTER TABLE rollouts ADD COLUMN max_errors_spec TEXT;
ALTER TABLE rollouts ADD COLUMN timeout_seconds INTEGER;
ALTER TABLE rollouts ADD COLUMN reason TEXT;

CREATE TABLE rollout_targets (
    rollout_id  TEXT NOT NULL REFERENCES rollouts (id),
    position    INTEGER NOT NULL,
    tenant_id   TEXT NOT NULL REFERENCES tenants (id),
    agent_id    TEXT NOT NULL REFERENCES agents (id),
    command_id  TEXT REFERENCES commands (id),
    skipped     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (rollout_id, position)
);
CREATE INDEX rollout_targets_queued ON rollout_targets (rollout_id, position)
    WHERE command_id IS NULL AND NOT skipped;

-- Schedules carry the limits of the rollouts they fire, and say why their last run did not start.
ALTER TABLE schedules ADD COLUMN description TEXT;
ALTER TABLE schedules ADD COLUMN max_concurrency_spec TEXT;
ALTER TABLE schedules ADD COLUMN max_errors_spec TEXT;
ALTER TABLE schedules ADD COLUMN last_error TEXT;

ALTER TABLE rollout_targets ENABLE ROW LEVEL SECURITY;
ALTER TABLE rollout_targets FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON rollout_targets
    USING (courier_visible_tenant(tenant_id)) WITH CHECK (courier_visible_tenant(tenant_id));
