-- slippage_by_directorate: one row per council and directorate, each council's newest report.
CREATE OR REPLACE VIEW slippage_by_directorate AS
SELECT * EXCLUDE (breakdown, by_council, risk_level)
FROM slippage_summary([], [], [], [], [], false, NULL) WHERE breakdown = 'directorate' AND by_council;
