-- The records of one report as the figures stand (corrections applied), for choosing one to correct.
SELECT record_no, ref, audit_title, recommendation, status, status_raw, risk_raw, risk_level, target_raw,
       original_target_date, current_target_date, corrections
FROM slippage_detail WHERE report_id = $report_id ORDER BY record_no;
