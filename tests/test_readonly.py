"""Ad-hoc SQL is read-only, one statement, no files or network, time-limited and capped."""
import hashlib
import subprocess
import sys

import pytest

from etl.store.readonly import QueryRefused, open_safe, run_query

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


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_attacks_are_refused_and_the_store_is_unchanged(name, fresh_db):
    before = digest(fresh_db)
    con = open_safe(fresh_db)
    with pytest.raises(QueryRefused) as refusal:
        run_query(con, ATTACKS[name])
    assert "\n" not in str(refusal.value)
    con.close()
    assert digest(fresh_db) == before


@pytest.mark.parametrize("name", ["copy_to", "two_statements", "read_csv", "set"])
def test_cli_refuses_with_one_line_and_exit_1(name, fresh_db, project_root):
    before = digest(fresh_db)
    result = subprocess.run([sys.executable, "-m", "etl", "sql", ATTACKS[name], "--db", str(fresh_db)],
                            capture_output=True, text=True, cwd=project_root, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("refused:") and len(result.stderr.strip().splitlines()) == 1
    assert digest(fresh_db) == before


def test_a_long_query_stops_at_the_time_limit(sample_db):
    con = open_safe(sample_db)
    with pytest.raises(QueryRefused, match="stopped after 1 s"):
        run_query(con, "SELECT count(*) FROM range(100000000000) a, range(10) b", timeout=1)


def test_row_cap_says_the_result_was_cut(sample_db):
    result = run_query(open_safe(sample_db), "SELECT * FROM range(50)", max_rows=10)
    assert result.frame.height == 10 and result.truncated


def test_ordinary_queries_are_answered(sample_db, project_root):
    result = run_query(open_safe(sample_db), "SELECT council, count(*) AS n FROM slippage GROUP BY 1 ORDER BY 1")
    assert result.frame.height == 5 and not result.truncated
    for fmt, marker in (("csv", "council,n"), ("json", '"council"'), ("table", "Manchester City Council")):
        out = subprocess.run([sys.executable, "-m", "etl", "sql", "SELECT council, count(*) AS n FROM slippage GROUP BY 1",
                              "--db", str(sample_db), "--format", fmt], capture_output=True, text=True,
                             cwd=project_root, timeout=60)
        assert out.returncode == 0 and marker in out.stdout
