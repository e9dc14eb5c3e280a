-- How many recommendations were re-dated 0, 1, 2, ... times, by risk level (the report on show).
SELECT revision_count, coalesce(risk_level, none_label()) AS risk_level, count(*) AS recommendations
FROM snapshot($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful, $as_of,
                leave_out_doubtful_reports := $leave_out_doubtful_reports)
GROUP BY ALL
ORDER BY revision_count;
