-- Councils and their report dates, newest first, for the committee page's pickers.
SELECT council, report_date FROM reports GROUP BY ALL ORDER BY council, report_date DESC;
