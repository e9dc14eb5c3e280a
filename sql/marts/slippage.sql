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
