-- Per council, the report on show's filtered records a committee would call in: open items falling due within three
-- months of the report (the Committee page's default next meeting; DuckDB's month step keeps the month's last day,
-- as the page does) and open items extended more than twice (its default limit).
SELECT council,
       count(*) FILTER (WHERE falls_due(status, current_target_date, report_date, report_date + INTERVAL 3 MONTH))
           AS due_within_three_months,
       count(*) FILTER (WHERE status = 'open' AND revision_count > 2) AS extended_more_than_twice
FROM snapshot($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful, $as_of,
              leave_out_doubtful_reports := $leave_out_doubtful_reports)
GROUP BY council;
