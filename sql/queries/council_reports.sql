-- Each council's newest report date and how many reports it has.
SELECT council, max(report_date) AS newest_report, count(*) AS reports FROM reports GROUP BY council;
