-- Headline measures per council and report date, every report, for the filtered records.
SELECT * FROM filtered_trend($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful,
                             leave_out_doubtful_reports := $leave_out_doubtful_reports) ORDER BY council, report_date;
