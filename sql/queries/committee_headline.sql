-- One council's report in four numbers a chair asks about.
SELECT count(*) FILTER (WHERE status = 'open') AS open,
       count(*) FILTER (WHERE is_overdue) AS overdue,
       count(*) FILTER (WHERE status = 'open' AND revision_count >= 2) AS revised_twice,
       count(*) FILTER (WHERE status = 'open' AND no_update_streak >= 2) AS no_update_twice,
       median(days_past_original_target) AS median_days_past_original
FROM slippage_detail WHERE council = $council AND report_date = $report_date;
