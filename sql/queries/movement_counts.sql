-- How many recommendations changed in each way between the report on show and the one before it
-- (which recommendations count: see movement.sql; a record is one per council, report and key).
SELECT change, count(*) AS recommendations
FROM movement_by_report m
JOIN (SELECT council, max(report_date) AS newest FROM reports GROUP BY council) n ON n.council = m.council
JOIN filtered_detail($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful,
                     leave_out_doubtful_reports := $leave_out_doubtful_reports) f
  ON f.council = m.council AND f.recommendation_key = m.recommendation_key
 AND f.report_date = CASE WHEN m.is_gone THEN m.previous_report ELSE m.latest_report END
WHERE m.latest_report = coalesce($as_of::DATE, n.newest)
GROUP BY change;
