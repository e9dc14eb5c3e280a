-- slippage_facts: one row per record per report, every measure; stg_slippage_computed materialised.
-- A table, rebuilt from the staging views by every write before the other marts are (re)created:
-- the windows over every report of a council run once per write instead of once per query.
CREATE OR REPLACE TABLE slippage_facts AS
SELECT * FROM stg_slippage_computed ORDER BY council, report_date, record_no;
