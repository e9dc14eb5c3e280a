-- slippage_by_risk: one row per council and risk level, each council's newest report.
CREATE OR REPLACE VIEW slippage_by_risk AS
SELECT * EXCLUDE (breakdown, by_council, directorate)
FROM slippage_summary([], [], [], [], [], false, NULL) WHERE breakdown = 'risk_level' AND by_council;
