-- stg_corrected_recommendations: recommendations with each admin's correction applied over what was read, and a note per correction.
-- The newest correction of a field applies. What was read stays in recommendations; the note says
-- who corrected which field, when, and what was printed: "original target corrected by A. Smith on
-- 12 Jan 2026: printed '31/13/2024'". corrected_fields lists the fields corrected.
CREATE OR REPLACE VIEW stg_corrected_recommendations AS
WITH newest AS (
    SELECT rep.report_id, c.recommendation_key, c.field, c.corrected,
           replace(c.field, '_date', '') || ' corrected by ' || c.corrected_by || ' on '
               || strftime(c.corrected_at, '%-d %b %Y') || ': printed '
               || coalesce('''' || c.printed || '''', 'nothing') || ' (' || c.reason || ')' AS note
    FROM record_corrections c
    JOIN reports rep ON rep.council = c.council AND rep.report_date = c.report_date
    WHERE in_refresh_scope(rep.council)
    QUALIFY row_number() OVER (PARTITION BY rep.report_id, c.recommendation_key, c.field ORDER BY c.correction_id DESC) = 1
), by_record AS (
    SELECT report_id, recommendation_key,
           any_value(corrected) FILTER (WHERE field = 'original_target_date') AS original_target_date,
           any_value(corrected) FILTER (WHERE field = 'current_target_date') AS current_target_date,
           any_value(corrected) FILTER (WHERE field = 'status') AS status,
           any_value(corrected) FILTER (WHERE field = 'risk_level') AS risk_level,
           list(field ORDER BY field) AS corrected_fields,
           list(replace(note, '_', ' ') ORDER BY field) AS corrections
    FROM newest GROUP BY ALL
)
SELECT rec.* REPLACE (
           coalesce(c.original_target_date::DATE, rec.original_target_date) AS original_target_date,
           coalesce(c.current_target_date::DATE, rec.current_target_date) AS current_target_date,
           coalesce(c.status, rec.status) AS status,
           coalesce(c.risk_level, rec.risk_level) AS risk_level),
       coalesce(c.corrected_fields, []::VARCHAR[]) AS corrected_fields,
       coalesce(c.corrections, []::VARCHAR[]) AS corrections
FROM recommendations rec
LEFT JOIN by_record c USING (report_id, recommendation_key);
