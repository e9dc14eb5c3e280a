-- What one report ($report_id) read for each record, by the record's identity: compared before and after a re-read (etl/reread.py) to say what changed.
-- Every field the reader fills, the target history among them, so no change a teaching makes goes unsaid;
-- not where a record was printed (record_no, source_page), which is not what was read.
SELECT rec.recommendation_key, rec.section, rec.ref, rec.audit_title, rec.directorate, rec.responsible, rec.finding,
       rec.recommendation, rec.management_response, rec.latest_update, rec.further_action, rec.risk_raw,
       rec.risk_level, rec.status, rec.status_raw, rec.target_raw, rec.original_target_date,
       rec.current_target_date, th.target_history, rec.requested_target_date, rec.requested_reason,
       rec.latest_update_period, rec.no_update_stated, rec.percent_complete, rec.rag, rec.unmapped_columns
FROM recommendations AS rec
LEFT JOIN stg_target_history AS th USING (report_id, record_no)
WHERE rec.report_id = $report_id ORDER BY rec.record_no;
