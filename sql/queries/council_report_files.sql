-- A council's reports ($council, any case), oldest first, each saying whether the store keeps its file (report_sources): what the admin app offers to re-read (app/rereading.py).
SELECT r.report_id, r.source_file, r.report_date, r.content_hash, s.content_hash IS NOT NULL AS file_kept
FROM reports AS r LEFT JOIN report_sources AS s USING (content_hash)
WHERE lower(r.council) = lower($council)
ORDER BY r.report_date, r.report_id;
