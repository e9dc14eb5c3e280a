-- Reports read with doubts (records may be missing, merged or split, or a column misread), newest first, each with the reader's reasons.
SELECT council, report_date, source_file, array_to_string(doubts, '; ') AS doubts
FROM doubtful_reports
ORDER BY report_date DESC, council;
