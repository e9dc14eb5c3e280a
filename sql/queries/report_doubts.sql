-- The reader's doubts about one report's reading as a whole (none for a report read well).
SELECT unnest(doubts) AS doubt
FROM doubtful_reports
WHERE council = $council AND report_date = $report_date;
