-- stg_target_history: one row per record per report; the target history that report prints, oldest first, each value an ISO date or 'TBC'.
-- Reads target_events (the values its revisions are counted on: in_history).
CREATE OR REPLACE VIEW stg_target_history AS
SELECT report_id, record_no,
       list(CASE WHEN is_tbc THEN 'TBC' ELSE strftime(target_date, '%Y-%m-%d') END ORDER BY seq) AS target_history
FROM target_events
WHERE in_history
GROUP BY report_id, record_no;
