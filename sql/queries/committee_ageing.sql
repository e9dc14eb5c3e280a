-- Open recommendations by time past their original target, for one council's report.
SELECT ageing_band, count(*) AS recommendations
FROM slippage_detail WHERE council = $council AND report_date = $report_date AND ageing_band IS NOT NULL
GROUP BY ALL;
