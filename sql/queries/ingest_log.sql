-- Every load attempt, newest first (seconds to a tenth).
SELECT attempted_at, source_file, outcome, message, council, report_date, records, round(seconds, 1) AS seconds,
       loaded_by, content_hash
FROM ingest_log ORDER BY attempt_id DESC LIMIT 500;
