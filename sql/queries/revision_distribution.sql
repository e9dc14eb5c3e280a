-- How many recommendations were re-dated 0, 1, 2, ... times, by risk level (newest reports).
SELECT revision_count, coalesce(risk_level, '(none)') AS risk_level, count(*) AS recommendations
FROM filtered_detail($councils, $directorates, $risks, $statuses)
WHERE is_latest_report
GROUP BY ALL
ORDER BY revision_count;
