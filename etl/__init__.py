"""slippage ETL: council audit-recommendation appendices (PDF, Word, Excel, CSV or parsed text) into DuckDB."""
