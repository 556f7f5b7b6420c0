-- Personal data stays out of the planner's statistics (issue 13). ANALYZE, which autovacuum
-- runs on its own, copies a sample of each column's values into pg_catalog.pg_statistic:
-- about a hundred names, search keys and phones, which an erasure cannot reach (the
-- catalog is the superuser's) and which tests/pg_erasure.rs found there after an erasure.
-- SET STATISTICS 0 keeps these columns out of every later ANALYZE; the lookups by name use
-- their indexes without them. Re-declaring the type (the same one: nothing is rewritten)
-- drops the samples already taken.
ALTER TABLE visitor
    ALTER COLUMN family_name SET STATISTICS 0, ALTER COLUMN family_name TYPE text,
    ALTER COLUMN given_name SET STATISTICS 0, ALTER COLUMN given_name TYPE text,
    ALTER COLUMN name_key SET STATISTICS 0, ALTER COLUMN name_key TYPE text,
    ALTER COLUMN match_profile SET STATISTICS 0, ALTER COLUMN match_profile TYPE text,
    ALTER COLUMN birth_date SET STATISTICS 0, ALTER COLUMN birth_date TYPE date,
    ALTER COLUMN phone SET STATISTICS 0, ALTER COLUMN phone TYPE text,
    ALTER COLUMN legacy_ref SET STATISTICS 0, ALTER COLUMN legacy_ref TYPE text;
ALTER TABLE visitor_match_key
    ALTER COLUMN key SET STATISTICS 0, ALTER COLUMN key TYPE text;
ALTER TABLE access
    ALTER COLUMN override_reason SET STATISTICS 0, ALTER COLUMN override_reason TYPE text;
ALTER TABLE appointment
    ALTER COLUMN family_name SET STATISTICS 0, ALTER COLUMN family_name TYPE text,
    ALTER COLUMN given_name SET STATISTICS 0, ALTER COLUMN given_name TYPE text,
    ALTER COLUMN birth_date SET STATISTICS 0, ALTER COLUMN birth_date TYPE date,
    ALTER COLUMN phone SET STATISTICS 0, ALTER COLUMN phone TYPE text;
