-- Cells that could not be read with confidence, per report and record.
SELECT r.council, r.report_date, r.source_file, w.record_no, rec.audit_title, w.field, w.raw_text, w.message
FROM parse_warnings w
JOIN reports r USING (report_id)
LEFT JOIN recommendations rec ON rec.report_id = w.report_id AND rec.record_no = w.record_no
ORDER BY r.council, r.report_date DESC, w.record_no;
