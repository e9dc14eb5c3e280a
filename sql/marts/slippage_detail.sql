-- slippage_detail: one row per record per report, every measure (the materialised facts).
CREATE OR REPLACE VIEW slippage_detail AS SELECT * FROM slippage_facts;
