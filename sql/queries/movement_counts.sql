-- How many recommendations changed in each way between the report on show and the one before it.
SELECT change, count(*) AS recommendations
FROM movement_by_report m
JOIN (SELECT council, max(report_date) AS newest FROM reports GROUP BY council) n ON n.council = m.council
WHERE (len($councils) = 0 OR list_contains($councils, m.council))
  AND m.latest_report = coalesce($as_of::DATE, n.newest)
GROUP BY change;
