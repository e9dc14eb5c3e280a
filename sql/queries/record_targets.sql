-- Every target value read for one record, in the order it was set: the target as shown (a UK date or TBC)
-- and as a date for the chart.
SELECT seq, part, in_history AS counted,
       CASE WHEN is_tbc THEN 'TBC' ELSE strftime(target_date, '%-d %b %Y') END AS target,
       CASE WHEN NOT is_tbc THEN target_date END AS target_date,
       source, cycle AS reporting_cycle, raw_text AS as_printed
FROM target_events WHERE report_id = $report_id AND record_no = $record_no ORDER BY seq;
