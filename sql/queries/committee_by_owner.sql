-- The catalogue's open and median days past the original target (slippage_measures) by directorate (or, where a
-- council names none, by responsible officer), open recommendations of one council's report.
SELECT owner, m.open, m.median_days_past_original::INTEGER AS median_days_past_original
FROM (SELECT coalesce(directorate, responsible, '(not named)') AS owner, slippage_measures(d) AS m
      FROM slippage_detail d WHERE council = $council AND report_date = $report_date AND status = 'open'
      GROUP BY ALL)
ORDER BY median_days_past_original DESC NULLS LAST LIMIT 20;
