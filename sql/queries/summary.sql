-- Headline measures per breakdown for the filtered records (see slippage_summary in marts.sql);
-- the per-report trend only when the page draws it.
SELECT * FROM slippage_summary($councils, $directorates, $risks, $statuses, $as_of, $with_trend);
