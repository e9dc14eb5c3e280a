-- stg_recommendation_reports: one row per record per report, with its report's council and date, the history it prints, its update normalised for comparison and the reader's doubts about its dates.
-- in_refresh_scope: a refresh of some councils reads only their rows; outside a refresh, every row.
CREATE OR REPLACE VIEW stg_recommendation_reports AS
SELECT rep.council, rep.report_date, rep.report_date_source, rep.source_file, rep.title AS report_title,
       rec.*,
       coalesce(h.target_history, []::VARCHAR[]) AS printed_history,
       trim(regexp_replace(lower(coalesce(rec.latest_update, '')), '[^a-z0-9]+', ' ', 'g')) AS update_norm,
       coalesce(w.date_warnings, []::VARCHAR[]) AS date_warnings
FROM stg_corrected_recommendations rec  -- what was read, with admins' corrections over it
JOIN reports rep USING (report_id)
LEFT JOIN stg_target_history h USING (report_id, record_no)
-- A target the reader doubted (far before the report, or earlier than the one it replaced) is
-- kept, and every figure built on it can be marked or left out.
LEFT JOIN (SELECT report_id, record_no, list(message ORDER BY message) AS date_warnings
           FROM parse_warnings WHERE field = 'target' AND record_no IS NOT NULL
           GROUP BY ALL) w USING (report_id, record_no)
WHERE in_refresh_scope(rep.council);
