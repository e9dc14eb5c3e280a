-- stg_target_history: one row per record per report; the target history that report prints, oldest first, each value an ISO date or 'TBC'.
-- Reads target_events (the values its revisions are counted on: in_history), with the report's
-- council so that a refresh of some councils reads only their events (in_refresh_scope).
CREATE OR REPLACE VIEW stg_target_history AS
SELECT rep.council, report_id, record_no,
       list(CASE WHEN is_tbc THEN 'TBC' ELSE strftime(target_date, '%Y-%m-%d') END ORDER BY seq) AS target_history
FROM target_events
JOIN reports rep USING (report_id)
WHERE in_history AND in_refresh_scope(rep.council)
GROUP BY rep.council, report_id, record_no;
