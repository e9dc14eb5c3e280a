-- One page of the recommendation explorer: the filtered records of the report on show,
-- most slipped first, with the total count on every row.
SELECT council, report_date, ref, audit_title, directorate, responsible, risk_level, status,
       original_target_date, current_target_date, revision_count, days_past_original_target,
       no_update_flag, no_update_streak, latest_update_period, report_id, record_no,
       count(*) OVER () AS total_rows
FROM snapshot($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful, $as_of)
WHERE revision_count >= $min_revisions
  AND (NOT $no_update_only OR no_update_flag)
  AND ($search = '' OR contains(lower(concat_ws(' ', audit_title, recommendation, latest_update, ref, responsible)), lower($search)))
ORDER BY days_past_original_target DESC NULLS LAST, council, record_no
LIMIT $limit OFFSET $offset;
