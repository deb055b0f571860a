-- PostgreSQL's V4 adds row-level security. SQLite has none (one process owns the file, and the
-- services' tenant filters are the isolation); this version keeps both schemas at one number.
SELECT 1;
