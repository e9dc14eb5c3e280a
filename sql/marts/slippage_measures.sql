-- slippage_measures(rec, meeting := NULL, times := 2): every measure of the catalogue (sql/measures.toml) over a group of records, as one struct (an aggregate: call it in a grouped SELECT with the row, e.g. slippage_measures(d) FROM slippage_detail d, and unnest it).
-- Written by `python -m etl.store.measures` from sql/measures.toml: change the catalogue, not this file.
CREATE OR REPLACE MACRO slippage_measures(rec, meeting := NULL, times := 2) AS
struct_pack(
    recommendations := count(*),
    open := count(*) FILTER (WHERE rec.status = 'open'),
    overdue := count(*) FILTER (WHERE rec.is_overdue),
    open_not_yet_overdue := count(*) FILTER (WHERE rec.status = 'open' AND NOT coalesce(rec.is_overdue, false)),
    median_days_past_original := median(rec.days_past_original_target) FILTER (WHERE rec.status = 'open'),
    mean_days_past_original := avg(rec.days_past_original_target) FILTER (WHERE rec.status = 'open'),
    max_days_past_original := max(rec.days_past_original_target) FILTER (WHERE rec.status = 'open'),
    mean_revisions := avg(rec.revision_count),
    revised_twice_or_more := count(*) FILTER (WHERE rec.revision_count >= 2),
    share_revised_twice := count(*) FILTER (WHERE rec.revision_count >= 2) / nullif(count(*), 0),
    no_fresh_update := count(*) FILTER (WHERE rec.no_update_flag),
    share_no_fresh_update := count(*) FILTER (WHERE rec.no_update_flag) / nullif(count(*), 0),
    open_revised_twice_or_more := count(*) FILTER (WHERE rec.status = 'open' AND rec.revision_count >= 2),
    open_without_update_twice := count(*) FILTER (WHERE rec.status = 'open' AND rec.no_update_streak >= 2),
    falls_due_before_meeting := count(*) FILTER (WHERE falls_due(rec.status, rec.current_target_date, rec.report_date, coalesce(meeting, rec.report_date + INTERVAL 3 MONTH))),
    extensions_to_approve := count(*) FILTER (WHERE rec.status = 'open' AND rec.requested_target_date IS NOT NULL),
    called_to_account := count(*) FILTER (WHERE rec.status = 'open' AND rec.revision_count > times));
