-- What changed between the report on show and the council's report before it, per recommendation,
-- in the seed's words; $limit rows from $offset (movement_counts.sql says how many there are in all).
-- A recommendation counts when its record passes the filters: its record in the report on show,
-- or, for one no longer reported, its record in the report before.
SELECT m.council, m.previous_report, m.latest_report, k.label AS change, m.ref, m.audit_title, m.risk_level,
       m.previous_target, m.latest_target, m.previous_status, m.latest_status, m.no_update_streak
FROM movement_by_report m
JOIN (SELECT council, max(report_date) AS newest FROM reports GROUP BY council) n ON n.council = m.council
LEFT JOIN seed_change_kinds k ON k.kind = m.change
WHERE m.latest_report = coalesce($as_of::DATE, n.newest)
  AND EXISTS (SELECT 1 FROM filtered_detail($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful,
                     leave_out_doubtful_reports := $leave_out_doubtful_reports) f
              WHERE f.council = m.council AND f.recommendation_key = m.recommendation_key
                AND f.report_date = CASE WHEN m.is_gone THEN m.previous_report ELSE m.latest_report END)
ORDER BY m.council, k.sort_order, m.audit_title, m.recommendation_key
LIMIT $limit OFFSET $offset;
