-- Staging views: from the tables to every computed measure. Each says its grain on its first
-- line. Re-applied by every load, so a new version of this file reaches an existing store; the
-- load then materialises stg_slippage_computed and applies marts.sql on top of it.

-- stg_target_history: one row per record per report; the target history that report prints.
CREATE OR REPLACE VIEW stg_target_history AS
SELECT report_id, record_no,
       list(CASE WHEN is_tbc THEN 'TBC' ELSE strftime(target_date, '%Y-%m-%d') END ORDER BY seq) AS target_history
FROM target_events
WHERE in_history
GROUP BY report_id, record_no;

-- stg_recommendation_reports: one row per record per report, with its report's council and date.
CREATE OR REPLACE VIEW stg_recommendation_reports AS
SELECT rep.council, rep.report_date, rep.report_date_source, rep.source_file, rep.title AS report_title,
       rec.*,
       coalesce(h.target_history, []::VARCHAR[]) AS printed_history,
       trim(regexp_replace(lower(coalesce(rec.latest_update, '')), '[^a-z0-9]+', ' ', 'g')) AS update_norm
FROM recommendations rec
JOIN reports rep USING (report_id)
LEFT JOIN stg_target_history h USING (report_id, record_no);

-- stg_history_across_reports: one row per record per report; its target history across all of
-- the council's reports up to this one. A layout that prints only the target in force shows
-- its revisions only from one report to the next: there the history is the earliest report's
-- history followed by each later report's target, repeats collapsed. Where the report prints a
-- fuller history of its own (earlier cycles listed), that is kept as printed.
CREATE OR REPLACE VIEW stg_history_across_reports AS
WITH windowed AS (
    SELECT report_id, record_no, printed_history,
           first_value(printed_history) OVER w AS first_history,
           first_value(original_target_date IGNORE NULLS) OVER w AS first_original,
           list(printed_history[-1]) OVER (w ROWS UNBOUNDED PRECEDING) AS targets_so_far
    FROM stg_recommendation_reports
    WINDOW w AS (PARTITION BY council, recommendation_key ORDER BY report_date)
), joined AS (
    SELECT *,
           list_concat(first_history[1:len(first_history) - 1], list_filter(targets_so_far, lambda t: t IS NOT NULL)) AS joined_history
    FROM windowed
), across AS (
    SELECT *, list_filter(joined_history, lambda t, i: i = 1 OR t <> joined_history[i - 1]) AS across_history
    FROM joined
), chosen AS (
    SELECT report_id, record_no, first_original,
           CASE WHEN len(printed_history) >= len(across_history) AND printed_history[1] = across_history[1]
                THEN printed_history ELSE across_history END AS target_history
    FROM across
)
SELECT report_id, record_no, first_original, target_history,
       coalesce(list_sum(list_transform(range(2, len(target_history) + 1),
                                        lambda i: (target_history[i] <> target_history[i - 1])::INTEGER)), 0)::INTEGER AS revision_count
FROM chosen;

-- stg_slippage_computed: one row per record per report; every contract measure plus what pages
-- need (report_id, overdue, ageing band, the full texts). Materialised as slippage_facts by
-- every load (see marts.sql), because windows over every report are too dear to run per query.
CREATE OR REPLACE VIEW stg_slippage_computed AS
WITH history AS (
    SELECT r.* EXCLUDE (original_target_date),
           coalesce(h.first_original, r.original_target_date) AS original_target_date,
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
)
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
       printed_history,
       status = 'open' AND coalesce(current_target_date, original_target_date) < report_date AS is_overdue,
       CASE WHEN status <> 'open' OR original_target_date IS NULL THEN NULL
            WHEN date_diff('day', original_target_date, report_date) <= 0 THEN 'not yet due'
            WHEN date_diff('day', original_target_date, report_date) <= 90 THEN '0–90 days'
            WHEN date_diff('day', original_target_date, report_date) <= 180 THEN '91–180 days'
            WHEN date_diff('day', original_target_date, report_date) <= 365 THEN '181–365 days'
            ELSE 'over a year' END AS ageing_band,
       report_date = max(report_date) OVER (PARTITION BY council) AS is_latest_report
FROM runs;

