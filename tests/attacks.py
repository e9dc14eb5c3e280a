"""SQL the read-only executor must refuse, shared by the executor's tests and the SQL page's."""

ATTACKS = {
    "insert": "INSERT INTO reports (council) VALUES ('x')",
    "update": "UPDATE recommendations SET status = 'closed'",
    "delete": "DELETE FROM reports",
    "ddl": "CREATE TABLE evil AS SELECT 1",
    "drop": "DROP VIEW slippage",
    "read_csv": "SELECT * FROM read_csv('/etc/passwd')",
    "read_text": "SELECT * FROM read_text('/etc/hostname')",
    "glob": "SELECT * FROM glob('/etc/*')",
    "copy_to": "COPY (SELECT * FROM reports) TO '/tmp/slippage-leak.csv'",
    "attach": "ATTACH '/tmp/other.duckdb' AS other",
    "export": "EXPORT DATABASE '/tmp/slippage-export'",
    "install": "INSTALL httpfs",
    "load": "LOAD httpfs",
    "set": "SET enable_external_access = true",
    "reset": "RESET lock_configuration",
    "pragma": "PRAGMA enable_profiling",
    "two_statements": "SELECT 1; DROP TABLE reports",
    "http": "SELECT * FROM read_csv('http://127.0.0.1:9/data.csv')",
    "sequence": "SELECT nextval('report_ids')",
}
