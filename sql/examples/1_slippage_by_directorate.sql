-- Slippage by directorate: open recommendations and median days past the original target, newest reports
SELECT council, coalesce(directorate, '(not named)') AS directorate,
       count(*) FILTER (WHERE status = 'open') AS open,
       median(days_past_original_target) AS median_days_past_original
FROM latest_slippage
GROUP BY ALL
ORDER BY median_days_past_original DESC NULLS LAST
