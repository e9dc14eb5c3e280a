-- One council's report in four numbers a chair asks about, beside the same numbers at the council's
-- previous report (one row each: is_previous false, then true; one row when there is no earlier report).
WITH chosen AS (
    SELECT $report_date::DATE AS report_date,
           (SELECT max(report_date) FROM reports WHERE council = $council AND report_date < $report_date::DATE) AS previous_report)
SELECT d.report_date <> c.report_date AS is_previous, d.report_date,
       count(*) FILTER (WHERE status = 'open') AS open,
       count(*) FILTER (WHERE is_overdue) AS overdue,
       count(*) FILTER (WHERE status = 'open' AND revision_count >= 2) AS revised_twice,
       count(*) FILTER (WHERE status = 'open' AND no_update_streak >= 2) AS no_update_twice,
       median(days_past_original_target) AS median_days_past_original
FROM slippage_detail d, chosen c
WHERE d.council = $council AND d.report_date IN (c.report_date, c.previous_report)
GROUP BY ALL ORDER BY is_previous;
