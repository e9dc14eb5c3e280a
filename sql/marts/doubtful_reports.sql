-- doubtful_reports: one row per report read with doubts (the reader doubts its reading as a whole: records may be missing, merged or split, or a column misread), with every doubt in the reader's words.
-- A doubt about the whole document is a parse_warnings row with no record number and field 'document'.
CREATE OR REPLACE VIEW doubtful_reports AS
SELECT r.report_id, r.council, r.report_date, r.source_file, list(w.message ORDER BY w.message) AS doubts
FROM parse_warnings w
JOIN reports r USING (report_id)
WHERE w.record_no IS NULL AND w.field = 'document'
GROUP BY r.report_id, r.council, r.report_date, r.source_file;
