-- A council's reports ($council, case and punctuation as given), oldest first, each with its file kept in the store (NULL for a report loaded before files were kept; compressed as `compression` says): what `etl reread --council` re-reads (etl/reread.py).
SELECT r.report_id, r.council, r.source_file, r.report_date, r.content_hash, s.file_name, s.bytes, s.compression
FROM reports AS r LEFT JOIN report_sources AS s USING (content_hash)
WHERE lower(r.council) = lower($council)
ORDER BY r.report_date, r.report_id;
