-- Oldest open high and critical risk recommendations
SELECT council, audit_title, risk_level, original_target_date, days_past_original_target, revision_count
FROM latest_slippage
WHERE status = 'open' AND risk_level IN ('critical', 'high')
ORDER BY days_past_original_target DESC NULLS LAST
LIMIT 25
