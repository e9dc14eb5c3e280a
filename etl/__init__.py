"""slippage ETL: council audit-recommendation appendices (PDF or parsed text) into DuckDB."""
