"""The README's "Using the store from other tools" is followed to the letter: its code blocks are
taken out of the README (so the documentation and the test cannot drift apart) and run on a real
store, the command line and the read-only attach with DuckDB's own 1.x command-line client from the
package registry, the Python with this project's DuckDB and polars."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from etl.store.readonly import open_safe
from etl.store.store import ROOT
from tests import olderduckdb

pytestmark = pytest.mark.slow

DOCUMENTED_STORE = "data/audit.duckdb"
SECTION = "## Using the store from other tools"


def documented_blocks() -> dict[str, str]:
    """The section's fenced code blocks by language (sh, python, sql); one of each."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SECTION in readme, f"README.md has no section {SECTION!r}"
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```(\w+)\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    languages = [language for language, _ in blocks]
    assert sorted(languages) == ["python", "sh", "sql"], languages
    return dict(blocks)


@pytest.fixture(scope="module")
def client():
    return olderduckdb.client(olderduckdb.NEWEST_1X, with_cli=True)


def expected(store: Path, sql: str) -> list[tuple]:
    con = open_safe(store)  # the configuration every test (and page) opens the shared store with
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_documented_command_line_runs_in_duckdbs_own_1x_client(sample_db, client):
    command = shlex.split(documented_blocks()["sh"].strip())
    assert command[:3] == ["duckdb", "-readonly", DOCUMENTED_STORE]
    run = subprocess.run(
        [str(client.cli), "-csv", *command[1:2], str(sample_db), *command[3:]], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0] == "council,open_recommendations,median_days_past_original"
    query = command[command.index("-c") + 1]
    answer = expected(sample_db, query)  # the same query in this project's DuckDB 2.0
    assert [line.split(",")[:2] for line in lines[1:]] == [[council, str(count)] for council, count, _ in answer]
    assert len(answer) >= 4


def test_the_documented_read_only_attach_runs_in_duckdbs_own_1x_client(sample_db, client):
    script = documented_blocks()["sql"].replace(DOCUMENTED_STORE, str(sample_db))
    run = subprocess.run([str(client.cli), "-csv", "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0] == "council,report_date,recommendations,overdue"
    assert len(lines) - 1 == 5 and sum(int(line.split(",")[2]) for line in lines[1:]) == 161
    refused = subprocess.run(
        [str(client.cli), "-c", script.split(";")[0] + "; DELETE FROM slippage_store.reports;"], capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0 and "read-only" in refused.stderr.lower()  # the attach cannot write


def test_the_documented_python_runs(sample_db):
    code = documented_blocks()["python"]
    assert f'duckdb.connect("{DOCUMENTED_STORE}", read_only=True)' in code
    run = subprocess.run(
        [sys.executable, "-c", code.replace(DOCUMENTED_STORE, str(sample_db))], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    overdue = expected(
        sample_db,
        "SELECT council, count(*) FROM slippage WHERE status = 'open' AND days_past_current_target > 0 GROUP BY council ORDER BY council",
    )
    for council, count in overdue:
        assert re.search(rf"{re.escape(council)}\s*┆\s*{count}\b", run.stdout), run.stdout
