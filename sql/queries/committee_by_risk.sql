-- The catalogue's overdue and open, not yet overdue (slippage_measures) by risk level, for one council's report.
SELECT coalesce(risk_level, none_label()) AS risk_level, m.overdue, m.open_not_yet_overdue
FROM (SELECT risk_level, slippage_measures(d) AS m
      FROM slippage_detail d WHERE council = $council AND report_date = $report_date AND status = 'open'
      GROUP BY ALL);
