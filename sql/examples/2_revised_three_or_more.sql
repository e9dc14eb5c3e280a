-- Recommendations whose target has been moved three or more times
SELECT council, audit_title, risk_level, revision_count, original_target_date, current_target_date, target_history
FROM latest_slippage
WHERE revision_count >= 3
ORDER BY revision_count DESC, council
