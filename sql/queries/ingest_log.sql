-- Every load attempt, newest first.
SELECT attempted_at, source_file, outcome, message, council, report_date, records, seconds, loaded_by, content_hash
FROM ingest_log ORDER BY attempt_id DESC LIMIT 500;
