-- What changed between each filtered council's two newest reports, one row per recommendation.
SELECT council, previous_report, latest_report, change, ref, audit_title, risk_level,
       previous_target, latest_target, previous_status, latest_status, no_update_streak
FROM movement
WHERE len($councils) = 0 OR list_contains($councils, council)
ORDER BY council, CASE change WHEN 'new' THEN 1 WHEN 'closed' THEN 2 WHEN 'gone' THEN 3 WHEN 're-dated' THEN 4
                               WHEN 'update unchanged' THEN 5 ELSE 6 END, audit_title;
