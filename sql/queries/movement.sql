-- What changed between the report on show and the council's report before it, per recommendation
-- (the first $limit; movement_counts.sql says how many there are in all).
SELECT m.council, previous_report, latest_report, change, ref, audit_title, risk_level,
       previous_target, latest_target, previous_status, latest_status, no_update_streak
FROM movement_by_report m
JOIN (SELECT council, max(report_date) AS newest FROM reports GROUP BY council) n ON n.council = m.council
LEFT JOIN seed_change_kinds k ON k.kind = m.change
WHERE (len($councils) = 0 OR list_contains($councils, m.council))
  AND m.latest_report = coalesce($as_of::DATE, n.newest)
ORDER BY m.council, k.sort_order, audit_title
LIMIT $limit;
