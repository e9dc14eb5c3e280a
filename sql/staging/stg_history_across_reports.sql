-- stg_history_across_reports: one row per record per report; its target history across all of the council's reports up to this one, and its revision count.
-- A layout that prints only the target in force shows its revisions only from one report to the
-- next: there the history is the earliest report's history followed by each later report's target,
-- repeats collapsed. Where the report prints a fuller history of its own (earlier cycles listed),
-- that is kept as printed. first_original is the first original target ever agreed.
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
