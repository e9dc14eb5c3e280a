-- Benchmark check: per council, from the base tables only, the figures a roll-up gives
-- (records, open, median days past original target, revised two or more times).
WITH labelled AS (
    SELECT report_id, record_no, seq, coalesce(strftime(target_date, '%Y-%m-%d'), 'TBC') AS label
    FROM target_events WHERE in_history
), revisions AS (
    SELECT report_id, record_no,
           count(*) FILTER (WHERE previous IS NOT NULL AND label <> previous) AS revision_count
    FROM (SELECT *, lag(label) OVER (PARTITION BY report_id, record_no ORDER BY seq) AS previous FROM labelled)
    GROUP BY ALL
)
SELECT rep.council,
       count(*) AS records,
       count(*) FILTER (WHERE rec.status = 'open') AS open,
       median(date_diff('day', rec.original_target_date, rep.report_date)) FILTER (WHERE rec.status = 'open') AS median_days,
       count(*) FILTER (WHERE coalesce(rv.revision_count, 0) >= 2) AS revised_twice
FROM recommendations rec
JOIN reports rep USING (report_id)
LEFT JOIN revisions rv USING (report_id, record_no)
GROUP BY rep.council
ORDER BY rep.council;
