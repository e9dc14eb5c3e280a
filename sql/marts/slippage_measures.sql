-- slippage_measures(...): the headline measures of a group of records, as one struct (an aggregate: call it in a grouped SELECT and unnest it).
-- One definition for every roll-up. A share over no rows is NULL, never NaN.
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
    share_revised_twice := count(*) FILTER (WHERE revisions >= 2) / nullif(count(*), 0),
    no_fresh_update := count(*) FILTER (WHERE no_fresh_update),
    share_no_fresh_update := count(*) FILTER (WHERE no_fresh_update) / nullif(count(*), 0));
