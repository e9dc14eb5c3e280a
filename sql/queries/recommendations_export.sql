-- The explorer's filtered table in full, as exported (CSV, Excel, Parquet).
SELECT council, report_date, source_file, source_page, record_no, section, ref, audit_title, directorate,
       responsible, recommendation, latest_update, risk_raw, risk_level, status, original_target_date,
       current_target_date, array_to_string(target_history, ' > ') AS target_history, revision_count,
       days_past_original_target, days_past_current_target, no_update_flag, no_update_streak,
       latest_update_period, recommendation_key
FROM snapshot($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful, $as_of)
WHERE revision_count >= $min_revisions
  AND (NOT $no_update_only OR no_update_flag)
  AND ($search = '' OR contains(lower(concat_ws(' ', audit_title, recommendation, latest_update, ref, responsible)), lower($search)))
ORDER BY days_past_original_target DESC NULLS LAST, council, record_no;
