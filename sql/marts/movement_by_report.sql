-- movement_by_report: one row per recommendation in a report or in the council's report before it (every report but a council's first), with the kind of change.
-- Kinds (seed_change_kinds): new, gone (no longer reported), closed, re-dated, update unchanged,
-- updated; the first that applies, in that order. A table: it pairs every report with the one before
-- it, which is too dear to do per query. A write recomputes the councils it touched (in_refresh_scope).
CREATE OR REPLACE TABLE movement_by_report AS
WITH pairs AS (
    SELECT council, report_date AS latest_report,
           lag(report_date) OVER (PARTITION BY council ORDER BY report_date) AS previous_report
    FROM (SELECT DISTINCT council, report_date FROM reports WHERE in_refresh_scope(council))
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
