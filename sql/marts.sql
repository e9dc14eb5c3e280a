-- Marts: what pages and analysts read, over slippage_facts (the materialised
-- stg_slippage_computed). Applied by every load after the facts are rebuilt.

-- slippage_detail: one row per record per report, every measure (the materialised facts).
CREATE OR REPLACE VIEW slippage_detail AS SELECT * FROM slippage_facts;

-- slippage: one row per recommendation per report. The contract's view: names and types fixed.
CREATE OR REPLACE VIEW slippage AS
SELECT council::VARCHAR AS council, report_date::DATE AS report_date,
       report_date_source::VARCHAR AS report_date_source, source_file::VARCHAR AS source_file,
       source_page::INTEGER AS source_page, record_no::INTEGER AS record_no, section::VARCHAR AS section,
       ref::VARCHAR AS ref, audit_title::VARCHAR AS audit_title, directorate::VARCHAR AS directorate,
       responsible::VARCHAR AS responsible, recommendation::VARCHAR AS recommendation,
       latest_update::VARCHAR AS latest_update, risk_raw::VARCHAR AS risk_raw, risk_level::VARCHAR AS risk_level,
       status::VARCHAR AS status, original_target_date::DATE AS original_target_date,
       current_target_date::DATE AS current_target_date, target_history::VARCHAR[] AS target_history,
       revision_count::INTEGER AS revision_count, days_past_original_target::INTEGER AS days_past_original_target,
       days_past_current_target::INTEGER AS days_past_current_target, no_update_flag::BOOLEAN AS no_update_flag,
       no_update_streak::INTEGER AS no_update_streak, latest_update_period::VARCHAR AS latest_update_period,
       recommendation_key::VARCHAR AS recommendation_key
FROM slippage_detail;

-- latest_slippage: one row per recommendation in each council's newest report.
CREATE OR REPLACE VIEW latest_slippage AS
SELECT * FROM slippage_detail WHERE is_latest_report;

-- filtered_detail(...): slippage_detail rows (every report) passing the dashboard's global
-- filters; an empty list means no filter, '(none)' matches a missing directorate or risk level.
CREATE OR REPLACE MACRO filtered_detail(councils, directorates, risks, statuses) AS TABLE
SELECT *
FROM slippage_detail
WHERE (len(councils) = 0 OR list_contains(councils, council))
  AND (len(directorates) = 0 OR list_contains(directorates, coalesce(directorate, '(none)')))
  AND (len(risks) = 0 OR list_contains(risks, coalesce(risk_level, '(none)')))
  AND (len(statuses) = 0 OR list_contains(statuses, status));

-- snapshot(...): one row per record of the report on show for each council passing the filters:
-- the report dated as_of when one is chosen, else each council's newest.
CREATE OR REPLACE MACRO snapshot(councils, directorates, risks, statuses, as_of) AS TABLE
SELECT *
FROM filtered_detail(councils, directorates, risks, statuses)
WHERE CASE WHEN as_of IS NULL THEN is_latest_report ELSE report_date = as_of::DATE END;

-- slippage_measures(...): the headline measures of a group of records, as one struct (an
-- aggregate: call it in a grouped SELECT and unnest it). One definition for every roll-up.
CREATE OR REPLACE MACRO slippage_measures(status, is_overdue, days_past_original, revisions, no_fresh_update) AS
struct_pack(
    recommendations := count(*),
    open := count(*) FILTER (WHERE status = 'open'),
    overdue := count(*) FILTER (WHERE is_overdue),
    median_days_past_original := median(days_past_original) FILTER (WHERE status = 'open'),
    mean_days_past_original := avg(days_past_original) FILTER (WHERE status = 'open'),
    max_days_past_original := max(days_past_original) FILTER (WHERE status = 'open'),
    mean_revisions := avg(revisions),
    revised_twice_or_more := count(*) FILTER (WHERE revisions >= 2),
    share_revised_twice := count(*) FILTER (WHERE revisions >= 2) / count(*),
    no_fresh_update := count(*) FILTER (WHERE no_fresh_update),
    share_no_fresh_update := count(*) FILTER (WHERE no_fresh_update) / count(*));

-- slippage_summary(...): one row per breakdown value of the report on show (each council's
-- newest, or the one dated as_of_report) for the records passing the filters. Grains
-- ('breakdown'): 'all', 'council', 'directorate', 'risk_level'; the last two within each council
-- (by_council) and over all councils. The 'all' row is there, with 0 recommendations, when
-- nothing passes the filters.
CREATE OR REPLACE MACRO slippage_summary(councils, directorates, risks, statuses, as_of_report) AS TABLE
SELECT grouping(council) = 0 AS by_council,
       CASE WHEN grouping(directorate) = 0 THEN 'directorate'
            WHEN grouping(risk_level) = 0 THEN 'risk_level'
            WHEN grouping(council) = 0 THEN 'council'
            ELSE 'all' END AS breakdown,
       council, directorate, risk_level,
       unnest(slippage_measures(status, is_overdue, days_past_original_target, revision_count, no_update_flag))
FROM snapshot(councils, directorates, risks, statuses, as_of_report)
GROUP BY GROUPING SETS ((), (council), (directorate), (risk_level), (council, directorate), (council, risk_level));

-- filtered_trend(...): one row per council and report date, every report, for the records
-- passing the filters (a trend reads every report, so it is asked for apart from the summary).
CREATE OR REPLACE MACRO filtered_trend(councils, directorates, risks, statuses) AS TABLE
SELECT council, report_date,
       unnest(slippage_measures(status, is_overdue, days_past_original_target, revision_count, no_update_flag))
FROM filtered_detail(councils, directorates, risks, statuses)
GROUP BY council, report_date;

-- slippage_by_council: one row per council, its newest report.
CREATE OR REPLACE VIEW slippage_by_council AS
SELECT * EXCLUDE (breakdown, by_council, directorate, risk_level)
FROM slippage_summary([], [], [], [], NULL) WHERE breakdown = 'council';

-- slippage_by_directorate: one row per council and directorate, each council's newest report.
CREATE OR REPLACE VIEW slippage_by_directorate AS
SELECT * EXCLUDE (breakdown, by_council, risk_level)
FROM slippage_summary([], [], [], [], NULL) WHERE breakdown = 'directorate' AND by_council;

-- slippage_by_risk: one row per council and risk level, each council's newest report.
CREATE OR REPLACE VIEW slippage_by_risk AS
SELECT * EXCLUDE (breakdown, by_council, directorate)
FROM slippage_summary([], [], [], [], NULL) WHERE breakdown = 'risk_level' AND by_council;

-- slippage_trend: one row per council and report date, over every report loaded.
CREATE OR REPLACE VIEW slippage_trend AS
SELECT * FROM filtered_trend([], [], [], []);

-- movement_by_report: one row per recommendation in a report or in the council's report before
-- it (every report but a council's first): new, gone (no longer reported), closed, re-dated,
-- update unchanged, updated. A table, rebuilt by every load: it pairs every report with the one
-- before it, which is too dear to do per query.
CREATE OR REPLACE TABLE movement_by_report AS
WITH pairs AS (
    SELECT council, report_date AS latest_report,
           lag(report_date) OVER (PARTITION BY council ORDER BY report_date) AS previous_report
    FROM (SELECT DISTINCT council, report_date FROM reports)
    QUALIFY previous_report IS NOT NULL
), latest AS (
    SELECT p.latest_report, p.previous_report, d.*
    FROM pairs p JOIN slippage_detail d ON d.council = p.council AND d.report_date = p.latest_report
), previous AS (
    SELECT p.latest_report, p.previous_report, d.*
    FROM pairs p JOIN slippage_detail d ON d.council = p.council AND d.report_date = p.previous_report
), paired AS (
    SELECT coalesce(l.council, p.council) AS council,
           coalesce(l.latest_report, p.latest_report) AS latest_report,
           coalesce(l.previous_report, p.previous_report) AS previous_report,
           coalesce(l.recommendation_key, p.recommendation_key) AS recommendation_key,
           coalesce(l.audit_title, p.audit_title) AS audit_title, coalesce(l.ref, p.ref) AS ref,
           coalesce(l.risk_level, p.risk_level) AS risk_level,
           p.status AS previous_status, l.status AS latest_status,
           p.current_target_date AS previous_target, l.current_target_date AS latest_target,
           p.recommendation_key IS NULL AS is_new,
           l.recommendation_key IS NULL AS is_gone,
           l.status IN ('closed', 'implemented') AND p.status = 'open' AS is_closed,
           l.recommendation_key IS NOT NULL AND p.recommendation_key IS NOT NULL
               AND (l.target_history[-1] IS DISTINCT FROM p.target_history[-1]) AS is_redated,
           l.recommendation_key IS NOT NULL AND p.recommendation_key IS NOT NULL
               AND l.update_norm = p.update_norm AS update_unchanged,
           l.days_past_original_target, l.no_update_streak
    FROM latest l
    FULL OUTER JOIN previous p
      ON l.council = p.council AND l.latest_report = p.latest_report AND l.recommendation_key = p.recommendation_key
)
SELECT council, latest_report, previous_report, recommendation_key, audit_title, ref, risk_level,
       CASE WHEN is_new THEN 'new' WHEN is_gone THEN 'gone' WHEN is_closed THEN 'closed'
            WHEN is_redated THEN 're-dated' WHEN update_unchanged THEN 'update unchanged'
            ELSE 'updated' END AS change,
       previous_status, latest_status, previous_target, latest_target,
       is_new, is_gone, is_closed, is_redated, update_unchanged, days_past_original_target, no_update_streak
FROM paired
ORDER BY council, latest_report;

-- movement: one row per recommendation in either of a council's two newest reports.
CREATE OR REPLACE VIEW movement AS
SELECT m.* FROM movement_by_report m
JOIN (SELECT council, max(report_date) AS newest FROM reports GROUP BY council) n
  ON m.council = n.council AND m.latest_report = n.newest;
