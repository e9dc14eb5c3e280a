-- slippage_change(...): the headline measures of the report on show (as slippage_summary picks it), each beside its value at the council's previous report and the change, for the records passing the filters; one row per council and an 'all' row.
-- One definition per measure: both sides are slippage_measures. A council with no earlier report
-- has NULL previous figures and changes; in the 'all' row it counts on both sides as it stands
-- now (it adds no change), so the 'all' row's change in a count is the sum of the councils'.
CREATE OR REPLACE MACRO slippage_change(councils, directorates, risks, statuses, ageing_bands, leave_out_doubtful, as_of_report,
                                        leave_out_doubtful_reports := false) AS TABLE
WITH dated AS (
    SELECT council, report_date, lag(report_date) OVER (PARTITION BY council ORDER BY report_date) AS previous_report,
           report_date = max(report_date) OVER (PARTITION BY council) AS is_newest
    FROM (SELECT DISTINCT council, report_date FROM reports)),
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
           slippage_measures(status, is_overdue, days_past_original_target, revision_count, no_update_flag) AS m
    FROM sides GROUP BY GROUPING SETS ((side), (side, council))),
paired AS (
    -- The 'all' row always (0 recommendations when nothing passes the filters); a council's row
    -- where its report on show has records passing them, as in slippage_summary.
    SELECT o.breakdown, o.council, s.report_date, s.previous_report, n.m AS now,
           o.breakdown = 'all' OR s.previous_report IS NOT NULL AS has_before, b.m AS before
    FROM (SELECT 'all' AS breakdown, NULL::VARCHAR AS council
          UNION ALL SELECT DISTINCT 'council', council FROM sides WHERE side = 'now') o
    LEFT JOIN shown s ON s.council = o.council
    LEFT JOIN measured n ON n.side = 'now' AND n.breakdown = o.breakdown AND n.council IS NOT DISTINCT FROM o.council
    LEFT JOIN measured b ON b.side = 'before' AND b.breakdown = o.breakdown AND b.council IS NOT DISTINCT FROM o.council)
SELECT breakdown, council, report_date, previous_report,
       coalesce(now.recommendations, 0) AS recommendations, coalesce(now.open, 0) AS open,
       coalesce(now.overdue, 0) AS overdue, now.median_days_past_original AS median_days_past_original,
       coalesce(now.revised_twice_or_more, 0) AS revised_twice_or_more, now.share_revised_twice AS share_revised_twice,
       coalesce(now.no_fresh_update, 0) AS no_fresh_update, now.share_no_fresh_update AS share_no_fresh_update,
       -- Counts at a previous report where no record passed the filters are 0, not unknown.
       CASE WHEN has_before THEN coalesce(before.open, 0) END AS previous_open,
       CASE WHEN has_before THEN coalesce(before.overdue, 0) END AS previous_overdue,
       CASE WHEN has_before THEN before.median_days_past_original END AS previous_median_days_past_original,
       CASE WHEN has_before THEN coalesce(before.revised_twice_or_more, 0) END AS previous_revised_twice_or_more,
       CASE WHEN has_before THEN before.share_revised_twice END AS previous_share_revised_twice,
       CASE WHEN has_before THEN coalesce(before.no_fresh_update, 0) END AS previous_no_fresh_update,
       CASE WHEN has_before THEN before.share_no_fresh_update END AS previous_share_no_fresh_update,
       open - previous_open AS change_open, overdue - previous_overdue AS change_overdue,
       median_days_past_original - previous_median_days_past_original AS change_median_days_past_original,
       revised_twice_or_more - previous_revised_twice_or_more AS change_revised_twice_or_more,
       share_revised_twice - previous_share_revised_twice AS change_share_revised_twice,
       no_fresh_update - previous_no_fresh_update AS change_no_fresh_update,
       share_no_fresh_update - previous_share_no_fresh_update AS change_share_no_fresh_update
FROM paired;
