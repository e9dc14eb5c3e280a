-- What changed between the report on show and the council's report before it, per recommendation
-- (the first $limit; movement_counts.sql says how many there are in all). A recommendation counts
-- when its record passes the filters: its record in the report on show, or, for one no longer
-- reported, its record in the report before.
SELECT m.council, previous_report, latest_report, change, ref, audit_title, risk_level,
       previous_target, latest_target, previous_status, latest_status, no_update_streak
FROM movement_by_report m
JOIN (SELECT council, max(report_date) AS newest FROM reports GROUP BY council) n ON n.council = m.council
LEFT JOIN seed_change_kinds k ON k.kind = m.change
WHERE m.latest_report = coalesce($as_of::DATE, n.newest)
  AND EXISTS (SELECT 1 FROM filtered_detail($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful) f
              WHERE f.council = m.council AND f.recommendation_key = m.recommendation_key
                AND f.report_date = CASE WHEN m.is_gone THEN m.previous_report ELSE m.latest_report END)
ORDER BY m.council, k.sort_order, audit_title
LIMIT $limit;
