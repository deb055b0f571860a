-- Live output chunks are stored up to a per-command cap; the command row keeps the running total so
-- each chunk is admitted by one guarded update, and remembers that the cap cut the stream.
ALTER TABLE commands ADD COLUMN output_stream_bytes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE commands ADD COLUMN output_stream_truncated BOOLEAN NOT NULL DEFAULT FALSE;
