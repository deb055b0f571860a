-- The status a command's latest transition moved it from, written by the same guarded UPDATE
-- (SET previous_status = status, status = ?), so that UPDATE ... RETURNING tells the writer where
-- the command came from without reading the row first: an agent's report is one statement, and a
-- rollout child's counters still move from the right status.
ALTER TABLE commands ADD COLUMN previous_status TEXT;
