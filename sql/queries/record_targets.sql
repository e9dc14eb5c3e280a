-- Every target value read for one record, in the order it was set.
SELECT seq, part, in_history AS counted, CASE WHEN is_tbc THEN 'TBC' ELSE strftime(target_date, '%Y-%m-%d') END AS target,
       source, cycle AS reporting_cycle, raw_text AS as_printed
FROM target_events WHERE report_id = $report_id AND record_no = $record_no ORDER BY seq;
