-- Open recommendations by how long past their original target they are, by risk level (the report on show).
SELECT ageing_band, coalesce(risk_level, none_label()) AS risk_level, count(*) AS recommendations
FROM snapshot($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful, $as_of,
                leave_out_doubtful_reports := $leave_out_doubtful_reports)
WHERE ageing_band IS NOT NULL
GROUP BY ALL;
