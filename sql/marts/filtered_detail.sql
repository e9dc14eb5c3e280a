-- filtered_detail(...): slippage_detail rows (every report) passing the dashboard's global filters; an empty list means no filter, none_label() matches a missing directorate or risk level.
CREATE OR REPLACE MACRO filtered_detail(councils, directorates, risks, statuses) AS TABLE
SELECT *
FROM slippage_detail
WHERE (len(councils) = 0 OR list_contains(councils, council))
  AND (len(directorates) = 0 OR list_contains(directorates, coalesce(directorate, none_label())))
  AND (len(risks) = 0 OR list_contains(risks, coalesce(risk_level, none_label())))
  AND (len(statuses) = 0 OR list_contains(statuses, status));
