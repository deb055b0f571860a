-- Tunnel sessions (issue 9): why and by whom a session ended, its hard end, the node that hosts it
-- (and when that node last vouched for it, so a crashed node's sessions are found and closed),
-- traffic counters and the transcript's size, bounded per session.
ALTER TABLE tunnel_sessions ADD COLUMN close_reason TEXT;
ALTER TABLE tunnel_sessions ADD COLUMN closed_by TEXT;
ALTER TABLE tunnel_sessions ADD COLUMN expires_at INTEGER;
ALTER TABLE tunnel_sessions ADD COLUMN node_id TEXT;
ALTER TABLE tunnel_sessions ADD COLUMN node_seen_at INTEGER;
ALTER TABLE tunnel_sessions ADD COLUMN bytes_in INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tunnel_sessions ADD COLUMN bytes_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tunnel_sessions ADD COLUMN commands INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tunnel_sessions ADD COLUMN transcript_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tunnel_sessions ADD COLUMN transcript_truncated BOOLEAN NOT NULL DEFAULT FALSE;

-- One open session per (user, agent): open means active (asked) or ready (the agent answered).
DROP INDEX tunnel_sessions_one_active;
CREATE UNIQUE INDEX tunnel_sessions_one_open ON tunnel_sessions (user_id, agent_id)
    WHERE status IN ('active', 'ready');
CREATE INDEX tunnel_sessions_open_by_user ON tunnel_sessions (user_id, status);
-- The sweeper's every-second look at open sessions stays small however many closed ones pile up.
CREATE INDEX tunnel_sessions_open_by_node ON tunnel_sessions (node_id) WHERE status IN ('active', 'ready');

-- Transcript rows in the order they were written (several in one millisecond).
ALTER TABLE tunnel_audit ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
DROP INDEX tunnel_audit_by_session;
CREATE INDEX tunnel_audit_by_session ON tunnel_audit (session_id, seq);

-- A tenant's command-line policy for tunnels: JSON arrays of regular expressions.
CREATE TABLE tunnel_policies (
    tenant_id   TEXT PRIMARY KEY REFERENCES tenants (id),
    allow       TEXT NOT NULL,
    deny        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT NOT NULL
);
