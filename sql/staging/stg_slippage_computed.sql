-- stg_slippage_computed: one row per record per report; every contract measure plus what pages need (report_id, overdue, ageing band, the full texts).
-- Materialised as slippage_facts by every write (sql/marts/slippage_facts.sql), because windows
-- over every report of a council are too dear to run per query. docs/measures.md defines each measure.
CREATE OR REPLACE VIEW stg_slippage_computed AS
WITH history AS (
    SELECT r.* EXCLUDE (original_target_date),
           -- A corrected original target is the original target; else the first one any report printed.
           CASE WHEN list_contains(r.corrected_fields, 'original_target_date') THEN r.original_target_date
                ELSE coalesce(h.first_original, r.original_target_date) END AS original_target_date,
           h.target_history, h.revision_count
    FROM stg_recommendation_reports r
    JOIN stg_history_across_reports h USING (report_id, record_no)
), compared AS (
    SELECT *,
           lag(update_norm) OVER w AS previous_update_norm,
           lag(report_date) OVER w AS previous_report_date
    FROM history
    WINDOW w AS (PARTITION BY council, recommendation_key ORDER BY report_date)
), flagged AS (
    -- No fresh update: the document says so, the cell is blank, or (from the second report on)
    -- the update repeats the previous report's or is stamped before the previous report.
    SELECT *,
           (no_update_stated OR update_norm = ''
            OR (previous_report_date IS NOT NULL
                AND (update_norm = previous_update_norm
                     OR last_day(strptime(latest_update_period || '-01', '%Y-%m-%d')) < previous_report_date))
           ) IS TRUE AS no_update_flag
    FROM compared
), runs AS (
    -- Each fresh update starts a new run; a streak counts the flagged reports in the current run.
    SELECT *,
           sum(CASE WHEN no_update_flag THEN 0 ELSE 1 END)
               OVER (PARTITION BY council, recommendation_key ORDER BY report_date ROWS UNBOUNDED PRECEDING) AS fresh_updates_so_far
    FROM flagged
), measured AS (
    SELECT council, report_date, report_date_source, source_file, source_page, record_no, section, ref,
           audit_title, directorate, responsible, recommendation, latest_update, risk_raw, risk_level, status,
           original_target_date, current_target_date, target_history, revision_count,
           CASE WHEN status = 'open' THEN date_diff('day', original_target_date, report_date) END::INTEGER AS days_past_original_target,
           CASE WHEN status = 'open' THEN date_diff('day', current_target_date, report_date) END::INTEGER AS days_past_current_target,
           no_update_flag,
           (CASE WHEN no_update_flag
                 THEN row_number() OVER (PARTITION BY council, recommendation_key, fresh_updates_so_far ORDER BY report_date)
                      - CASE WHEN fresh_updates_so_far > 0 THEN 1 ELSE 0 END
                 ELSE 0 END)::INTEGER AS no_update_streak,
           latest_update_period, recommendation_key,
           report_id, report_title, finding, management_response, further_action, status_raw, target_raw, update_norm,
           requested_target_date, requested_reason,
           printed_history, date_warnings, len(date_warnings) > 0 AS has_doubtful_date,
           status = 'open' AND coalesce(current_target_date, original_target_date) < report_date AS is_overdue,
           corrections,
           report_date = max(report_date) OVER (PARTITION BY council) AS is_latest_report
    FROM runs
)
-- The ageing band of an open record with an original target: the seed band whose bounds hold its
-- days past the original target (the bands neither overlap nor leave gaps).
SELECT m.* EXCLUDE (is_latest_report), b.band AS ageing_band, m.is_latest_report
FROM measured m
LEFT JOIN seed_ageing_bands b
  ON m.days_past_original_target BETWEEN coalesce(b.lower_days, m.days_past_original_target)
                                     AND coalesce(b.upper_days, m.days_past_original_target);
