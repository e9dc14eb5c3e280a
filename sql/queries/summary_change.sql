-- Headline measures per council of the report on show beside the council's previous report, and the change (see
-- slippage_change in sql/marts/slippage_change.sql).
SELECT * FROM slippage_change($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful, $as_of,
                              leave_out_doubtful_reports := $leave_out_doubtful_reports);
