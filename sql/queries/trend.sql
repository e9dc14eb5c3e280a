-- Headline measures per council and report date, every report, for the filtered records.
SELECT * FROM filtered_trend($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful) ORDER BY council, report_date;
