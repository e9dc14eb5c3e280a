-- slippage_facts: one row per record per report, every measure; stg_slippage_computed materialised.
-- A table, so the windows over every report of a council run once per write instead of once per
-- query: rebuilt whole when its definition changes, otherwise a write recomputes the rows of the
-- councils it touched (the staging views scoped by in_refresh_scope, etl/store/derived.py).
CREATE OR REPLACE TABLE slippage_facts AS
SELECT * FROM stg_slippage_computed ORDER BY council, report_date, record_no;
