-- One row per matching record of the report on show: a page of the recommendation explorer ($limit rows from
-- $offset), or with $limit NULL every row, as exported. Every matching row is sorted by $sort_by ($descending or
-- not) before the page is cut, and each row carries the total count. $sort_by is one of the column names
-- below (the page offers only those); any other sorts most slipped first. The slippage columns come first.
WITH matching AS (
    SELECT *,
           -- One sort key per kind of column: numbers (dates as day numbers, risk by severity) and text.
           CASE $sort_by
               WHEN 'original_target_date' THEN original_target_date - DATE '1970-01-01'
               WHEN 'current_target_date' THEN current_target_date - DATE '1970-01-01'
               WHEN 'report_date' THEN report_date - DATE '1970-01-01'
               WHEN 'revision_count' THEN revision_count
               WHEN 'days_past_original_target' THEN days_past_original_target
               WHEN 'days_past_current_target' THEN days_past_current_target
               WHEN 'no_update_streak' THEN no_update_streak
               WHEN 'risk_level' THEN -(SELECT sort_order FROM seed_risk_levels WHERE level = risk_level)
           END AS number_key,
           lower(CASE $sort_by
               WHEN 'council' THEN council WHEN 'ref' THEN ref WHEN 'audit_title' THEN audit_title
               WHEN 'directorate' THEN directorate WHEN 'responsible' THEN responsible WHEN 'status' THEN status
           END) AS text_key
    FROM snapshot($councils, $directorates, $risks, $statuses, $ageing_bands, $leave_out_doubtful, $as_of,
                leave_out_doubtful_reports := $leave_out_doubtful_reports)
    WHERE revision_count >= $min_revisions
      AND (NOT $no_update_only OR no_update_flag)
      AND ($search = '' OR contains(lower(concat_ws(' ', audit_title, recommendation, latest_update, ref, responsible)), lower($search)))
)
SELECT original_target_date, current_target_date, revision_count, days_past_original_target, days_past_current_target,
       CASE WHEN has_doubtful_date THEN '⚠ doubtful' ELSE '' END AS doubtful_date,
       array_to_string(date_warnings, '; ') AS date_warnings,
       -- An admin corrected a field of this record (etl/store/corrections.py): the mark, and each note.
       CASE WHEN len(corrections) > 0 THEN '✎ corrected' ELSE '' END AS corrected,
       array_to_string(corrections, '; ') AS corrections,
       council, report_date, ref, audit_title, directorate, responsible, risk_level, status,
       no_update_flag, no_update_streak, latest_update_period,
       source_file, source_page, record_no, section, recommendation, latest_update, risk_raw,
       array_to_string(target_history, ' > ') AS target_history, recommendation_key, report_id,
       count(*) OVER () AS total_rows
FROM matching
ORDER BY CASE WHEN $descending THEN number_key END DESC NULLS LAST,
         CASE WHEN NOT $descending THEN number_key END ASC NULLS LAST,
         CASE WHEN $descending THEN text_key END DESC NULLS LAST,
         CASE WHEN NOT $descending THEN text_key END ASC NULLS LAST,
         -- Unsorted (or equal) rows most slipped first, then in document order.
         days_past_original_target DESC NULLS LAST, council, record_no
LIMIT $limit OFFSET $offset;
