-- slippage_trend: one row per council and report date, over every report loaded.
CREATE OR REPLACE VIEW slippage_trend AS
SELECT * FROM filtered_trend([], [], [], [], [], false);
