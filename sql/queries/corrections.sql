-- Every correction an admin made to a record, newest first, with what was printed and read and the report it is in.
SELECT c.corrected_at, c.corrected_by, c.council, c.report_date, r.ref, r.audit_title,
       replace(c.field, '_', ' ') AS field, c.printed, c.read_as, c.corrected, c.reason,
       rep.report_id IS NOT NULL AS report_loaded
FROM record_corrections c
LEFT JOIN reports rep ON rep.council = c.council AND rep.report_date = c.report_date
LEFT JOIN recommendations r ON r.report_id = rep.report_id AND r.recommendation_key = c.recommendation_key
ORDER BY c.correction_id DESC;
