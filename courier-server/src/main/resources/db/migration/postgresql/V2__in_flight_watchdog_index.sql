-- The timeout watchdog now also covers commands accepted but never started, and cancels the agent
-- never confirmed, so its index covers every in-flight status.
DROP INDEX commands_running_by_start;
CREATE INDEX commands_in_flight ON commands (status, accepted_at)
    WHERE status IN ('accepted', 'running', 'cancelling');
