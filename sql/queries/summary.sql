-- Headline measures per breakdown of the report on show, for the filtered records (see
-- slippage_summary in sql/marts/slippage_summary.sql).
SELECT * FROM slippage_summary($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful, $as_of,
                leave_out_doubtful_reports := $leave_out_doubtful_reports);
