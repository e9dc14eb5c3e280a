-- One recommendation in every report of its council: target, status and update per report.
SELECT report_date, status, current_target_date, array_to_string(target_history, ' > ') AS target_history,
       revision_count, days_past_original_target, no_update_flag, no_update_streak, latest_update_period, latest_update
FROM slippage_detail
WHERE council = $council AND recommendation_key = $recommendation_key
ORDER BY report_date;
