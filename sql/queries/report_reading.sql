-- What one report ($report_id) read for each record, by the record's identity: compared before and after a re-read (etl/reread.py) to say what changed.
SELECT recommendation_key, ref, audit_title, directorate, responsible, recommendation, latest_update, risk_raw,
       risk_level, status, original_target_date, current_target_date
FROM recommendations WHERE report_id = $report_id ORDER BY record_no;
