-- slippage_by_council: one row per council, its newest report.
CREATE OR REPLACE VIEW slippage_by_council AS
SELECT * EXCLUDE (breakdown, by_council, directorate, risk_level)
FROM slippage_summary([], [], [], [], [], false, NULL) WHERE breakdown = 'council';
