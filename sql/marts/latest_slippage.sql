-- latest_slippage: one row per recommendation in each council's newest report.
CREATE OR REPLACE VIEW latest_slippage AS
SELECT * FROM slippage_detail WHERE is_latest_report;
