-- slippage_change(...): every measure of the catalogue for the report on show (as slippage_summary picks it), each beside its value at the council's previous report (previous_<measure>), for the records passing the filters; one row per council and an 'all' row.
-- One definition per measure: both sides are slippage_measures, so a measure added to the
-- catalogue (sql/measures.toml) is here too; the change is now − previous (app/change.py). A council with no earlier report
-- has NULL previous figures and changes; in the 'all' row it counts on both sides as it stands
-- now (it adds no change), so the 'all' row's change in a count is the sum of the councils'.
CREATE OR REPLACE MACRO slippage_change(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful, as_of_report,
                                        leave_out_doubtful_reports := false) AS TABLE
-- A report left out as read with doubts is not compared with: the previous report is then the one
-- before it (not a side of no records). Which report is on show does not change.
WITH kept AS (
    SELECT DISTINCT council, report_date FROM reports
    WHERE NOT (leave_out_doubtful_reports AND report_id IN (SELECT report_id FROM doubtful_reports))),
dated AS (
    SELECT a.council, a.report_date,
           (SELECT max(k.report_date) FROM kept k WHERE k.council = a.council AND k.report_date < a.report_date)
               AS previous_report,
           a.report_date = max(a.report_date) OVER (PARTITION BY a.council) AS is_newest
    FROM (SELECT DISTINCT council, report_date FROM reports) a),
shown AS (
    SELECT council, report_date, previous_report FROM dated
    WHERE CASE WHEN as_of_report IS NULL THEN is_newest ELSE report_date = as_of_report::DATE END),
records AS (
    SELECT * FROM filtered_detail(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful,
                                  leave_out_doubtful_reports := leave_out_doubtful_reports)
    WHERE council IN (SELECT council FROM shown)),
sides AS (
    SELECT 'now' AS side, r.* FROM records r JOIN shown s ON r.council = s.council AND r.report_date = s.report_date
    UNION ALL BY NAME
    SELECT 'before' AS side, r.* FROM records r
    JOIN shown s ON r.council = s.council AND r.report_date = coalesce(s.previous_report, s.report_date)),
measured AS (
    SELECT side, CASE WHEN grouping(council) = 0 THEN 'council' ELSE 'all' END AS breakdown, council,
           slippage_measures(rec) AS m
    FROM sides rec GROUP BY GROUPING SETS ((side), (side, council))),
-- The measures of no records: counts 0, everything else NULL.
nothing AS (SELECT slippage_measures(rec) AS m FROM sides rec WHERE false),
paired AS (
    -- The 'all' row always (0 recommendations when nothing passes the filters); a council's row
    -- where its report on show has records passing them, as in slippage_summary. Measures at a
    -- previous report where no record passed the filters are those of no records (counts 0).
    SELECT o.breakdown, o.council, s.report_date, s.previous_report,
           coalesce(n.m, (SELECT m FROM nothing)) AS now,
           CASE WHEN o.breakdown = 'all' OR s.previous_report IS NOT NULL THEN coalesce(b.m, (SELECT m FROM nothing)) END
               AS before
    FROM (SELECT 'all' AS breakdown, NULL::VARCHAR AS council
          UNION ALL SELECT DISTINCT 'council', council FROM sides WHERE side = 'now') o
    LEFT JOIN shown s ON s.council = o.council
    LEFT JOIN measured n ON n.side = 'now' AND n.breakdown = o.breakdown AND n.council IS NOT DISTINCT FROM o.council
    LEFT JOIN measured b ON b.side = 'before' AND b.breakdown = o.breakdown AND b.council IS NOT DISTINCT FROM o.council)
SELECT breakdown, council, report_date, previous_report, unnest(now), COLUMNS(before.*) AS "previous_\0"
FROM paired;
