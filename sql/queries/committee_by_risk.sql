-- Open and overdue recommendations by risk level, for one council's report.
SELECT coalesce(risk_level, none_label()) AS risk_level,
       count(*) FILTER (WHERE is_overdue) AS overdue,
       count(*) FILTER (WHERE status = 'open' AND NOT is_overdue) AS "open, not yet overdue"
FROM slippage_detail WHERE council = $council AND report_date = $report_date AND status = 'open'
GROUP BY ALL;
