-- What changed between the report on show and the council's report before it, per recommendation,
-- in the seed's words; $limit rows from $offset (movement_counts.sql says how many there are in all).
SELECT m.council, m.previous_report, m.latest_report, k.label AS change, m.ref, m.audit_title, m.risk_level,
       m.previous_target, m.latest_target, m.previous_status, m.latest_status, m.no_update_streak
FROM movement_by_report m
JOIN (SELECT council, max(report_date) AS newest FROM reports GROUP BY council) n ON n.council = m.council
LEFT JOIN seed_change_kinds k ON k.kind = m.change
WHERE (len($councils) = 0 OR list_contains($councils, m.council))
  AND m.latest_report = coalesce($as_of::DATE, n.newest)
ORDER BY m.council, k.sort_order, m.audit_title, m.recommendation_key
LIMIT $limit OFFSET $offset;
