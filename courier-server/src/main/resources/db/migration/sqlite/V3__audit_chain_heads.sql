-- The end of each tenant's audit chain ('' is the chain of records outside any tenant). Appends
-- lock and advance it, so concurrent appends cannot fork a chain, and the verifier compares it with
-- the last record, so deleting the newest records is detected like deleting any other.
CREATE TABLE audit_heads (
    chain      TEXT PRIMARY KEY,
    last_seq   INTEGER NOT NULL,
    last_hash  TEXT NOT NULL,
    records    INTEGER NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (occurred_at);
