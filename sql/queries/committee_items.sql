-- Open recommendations of one council's report that a chair may call in: revised two or more
-- times, no fresh update for two or more reports, high and critical risk, falling due before the
-- next meeting ($meeting, sql/macros/falls_due.sql), extended more than $times times (called to account), or with a later
-- date asked for and not yet agreed (an extension to approve). Each row carries what
-- tells it apart from others of the same audit (reference, the recommendation, risk, targets,
-- officer) and the reader's doubts about its target dates.
SELECT ref, record_no, audit_title, recommendation, coalesce(risk_level, none_label()) AS risk_level,
       original_target_date, current_target_date,
       -- The officer answers for the item; where a council names none, its directorate.
       coalesce(responsible, directorate) AS officer,
       days_past_original_target, revision_count, no_update_streak, latest_update_period,
       requested_target_date, requested_reason, requested_target_date IS NOT NULL AS extension_asked,
       has_doubtful_date, date_warnings, corrections,
       revision_count >= 2 AS revised_twice, no_update_streak >= 2 AS no_update_twice,
       coalesce(risk_level IN ('critical', 'high'), false) AS high_risk,
       falls_due(status, current_target_date, report_date, $meeting::DATE) AS due_before_meeting,
       revision_count > $times AS called_to_account
FROM slippage_detail
WHERE council = $council AND report_date = $report_date AND status = 'open'
  AND (revision_count >= 2 OR no_update_streak >= 2 OR risk_level IN ('critical', 'high')
       OR falls_due(status, current_target_date, report_date, $meeting::DATE) OR revision_count > $times
       OR requested_target_date IS NOT NULL)
ORDER BY days_past_original_target DESC NULLS LAST, record_no;
