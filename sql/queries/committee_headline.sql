-- One council's report in every measure of the catalogue (sql/measures.toml, slippage_measures), beside the same
-- measures at the council's previous report (one row each: is_previous false, then true; one row when there is no
-- earlier report). The next meeting ($meeting) and the limit of extensions ($times) are the chair's; at the previous
-- report the meeting is as far after that report as $meeting is after this one, so the two compare alike.
WITH chosen AS (
    SELECT $report_date::DATE AS report_date,
           (SELECT max(report_date) FROM reports WHERE council = $council AND report_date < $report_date::DATE) AS previous_report)
SELECT d.report_date <> c.report_date AS is_previous, d.report_date,
       unnest(slippage_measures(d, meeting := d.report_date + date_diff('day', c.report_date, $meeting::DATE)::INTEGER,
                                times := $times))
FROM slippage_detail d, chosen c
WHERE d.council = $council AND d.report_date IN (c.report_date, c.previous_report)
GROUP BY is_previous, d.report_date ORDER BY is_previous;
