-- Open recommendations by how long past their original target they are, by risk level (newest reports).
SELECT ageing_band, coalesce(risk_level, '(none)') AS risk_level, count(*) AS recommendations
FROM filtered_detail($councils, $directorates, $risks, $statuses)
WHERE is_latest_report AND ageing_band IS NOT NULL
GROUP BY ALL;
