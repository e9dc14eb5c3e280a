-- filtered_trend(...): one row per council and report date, every report, for the records passing the filters.
-- A trend reads every report, so it is asked for apart from the summary.
CREATE OR REPLACE MACRO filtered_trend(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful, leave_out_doubtful_reports := false) AS TABLE
SELECT council, report_date,
       unnest(slippage_measures(rec))
FROM filtered_detail(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful,
                          leave_out_doubtful_reports := leave_out_doubtful_reports) rec
GROUP BY council, report_date;
