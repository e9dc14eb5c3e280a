-- Headline measures per breakdown for the filtered records (see slippage_summary in views.sql).
SELECT * FROM slippage_summary($councils, $directorates, $risks, $statuses, $as_of);
