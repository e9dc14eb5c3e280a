-- No fresh update for two or more reports in a row
SELECT council, report_date, audit_title, responsible, no_update_streak, latest_update_period
FROM slippage
WHERE no_update_streak >= 2
ORDER BY no_update_streak DESC, council
