-- filtered_detail(...): slippage_detail rows (every report) passing the dashboard's global filters; an empty list means no filter, none_label() matches a missing directorate or risk level.
-- ageing_bands keeps the open records in those bands (seed_ageing_bands); leave_out_doubtful drops
-- the records whose target dates the reader doubted (has_doubtful_date); leave_out_doubtful_reports drops
-- the records of reports read with doubts (doubtful_reports).
CREATE OR REPLACE MACRO filtered_detail(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful,
                                        leave_out_doubtful_reports := false) AS TABLE
SELECT *
FROM slippage_detail
WHERE (len(councils) = 0 OR list_contains(councils, council))
  AND (len(directorates) = 0 OR list_contains(directorates, coalesce(directorate, none_label())))
  AND (len(risks) = 0 OR list_contains(risks, coalesce(risk_level, none_label())))
  AND (len(statuses) = 0 OR list_contains(statuses, status))
  AND (len(ageing_bands) = 0 OR list_contains(ageing_bands, ageing_band))
  AND NOT (leave_out_doubtful AND has_doubtful_date)
  AND NOT (leave_out_doubtful_reports AND report_id IN (SELECT report_id FROM doubtful_reports));
