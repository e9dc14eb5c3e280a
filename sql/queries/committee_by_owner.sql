-- Median days past the original target by directorate (or, where a council names none, by
-- responsible officer), open recommendations of one council's report.
SELECT coalesce(directorate, responsible, '(not named)') AS owner,
       count(*) AS open,
       median(days_past_original_target)::INTEGER AS median_days_past_original
FROM slippage_detail WHERE council = $council AND report_date = $report_date AND status = 'open'
GROUP BY ALL ORDER BY median_days_past_original DESC NULLS LAST LIMIT 20;
