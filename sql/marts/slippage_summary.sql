-- slippage_summary(...): one row per breakdown value of the report on show (each council's newest, or the one dated as_of_report) for the records passing the filters.
-- Grains ('breakdown'): 'all', 'council', 'directorate', 'risk_level'; the last two within each
-- council (by_council) and over all councils. The 'all' row is there, with 0 recommendations and
-- NULL shares, when nothing passes the filters.
CREATE OR REPLACE MACRO slippage_summary(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful, as_of_report, leave_out_doubtful_reports := false) AS TABLE
SELECT grouping(council) = 0 AS by_council,
       CASE WHEN grouping(directorate) = 0 THEN 'directorate'
            WHEN grouping(risk_level) = 0 THEN 'risk_level'
            WHEN grouping(council) = 0 THEN 'council'
            ELSE 'all' END AS breakdown,
       council, directorate, risk_level,
       unnest(slippage_measures(rec))
FROM snapshot(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful, as_of_report,
              leave_out_doubtful_reports := leave_out_doubtful_reports) rec
GROUP BY GROUPING SETS ((), (council), (directorate), (risk_level), (council, directorate), (council, risk_level));
