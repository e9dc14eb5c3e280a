-- slippage_corrections: one row per corrected record per report, beside the slippage view (whose columns the contract fixes): the notes of each admin correction.
-- The slippage view already shows the corrected values; this says which rows were corrected, by
-- whom, when and what was printed. Join on council, report_date and recommendation_key.
CREATE OR REPLACE VIEW slippage_corrections AS
SELECT council::VARCHAR AS council, report_date::DATE AS report_date, record_no::INTEGER AS record_no,
       recommendation_key::VARCHAR AS recommendation_key, corrections::VARCHAR[] AS corrections
FROM slippage_detail
WHERE len(corrections) > 0;
