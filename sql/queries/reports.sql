-- Loaded reports, newest load first.
SELECT report_id, council, report_date, report_date_source, title, source_file, parser, pages, record_count,
       loaded_at, loaded_by, content_hash
FROM reports ORDER BY loaded_at DESC;
