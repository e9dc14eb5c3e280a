-- The catalogue's open recommendations (slippage_measures) by time past their original target, for one council's
-- report (an open recommendation with no original target is in no band).
SELECT ageing_band, (slippage_measures(d)).open AS open
FROM slippage_detail d WHERE council = $council AND report_date = $report_date AND ageing_band IS NOT NULL
GROUP BY ageing_band;
