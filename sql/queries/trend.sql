-- Headline measures per council and report date, every report, for the filtered records.
SELECT * FROM filtered_trend($councils, $directorates, $risks, $statuses) ORDER BY council, report_date;
