"""Removing a report leaves none of its text in the store file (DuckDB keeps deleted rows in free
blocks, where they could be read back), nor does replacing it with a new version; and the command
line removes reports as the admin app does."""

import subprocess
import sys
from datetime import date

import duckdb
import pytest

from etl.load import load, remove_report
from tests.samples import SEEDS, seed_path

pytestmark = pytest.mark.slow

MARKER = "Plover-Quince-4417"  # in no sample: wherever it is found, it came from the report below
COUNCIL = "Testshire County Council"


def report_with_marker(folder, name="testshire-2024-07.txt"):
    """A real appendix (Harborough's) whose first recommendation carries the marker."""
    text = seed_path("000").read_text(encoding="utf-8")
    path = folder / name
    path.write_text(text.replace("A specific project should be established", f"{MARKER} project should be established"), encoding="utf-8")
    return path


def marker_left(db) -> list[str]:
    """The files of the store (the store, any write-ahead log or leftover beside it) holding the marker."""
    return [p.name for p in db.parent.iterdir() if p.name.startswith(db.name) and MARKER.encode() in p.read_bytes()]


def load_marked(db, folder) -> int:
    [outcome] = load([report_with_marker(folder)], db, council=COUNCIL, as_at=date(2024, 7, 31))
    assert outcome.outcome == "loaded", outcome.line()
    assert marker_left(db) == [db.name]  # the test can see the text while it is there
    return report_id(db)


def report_id(db) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT report_id FROM reports WHERE council = ?", [COUNCIL]).fetchall()[0][0]
    finally:
        con.close()


def rows(db, query: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def test_a_removed_report_leaves_none_of_its_text_in_the_store(fresh_db, tmp_path):
    removed = load_marked(fresh_db, tmp_path)
    assert remove_report(fresh_db, removed, "Clerk (admin)").outcome == "removed"
    assert marker_left(fresh_db) == []  # before: the text stayed in the file's free blocks
    # The store is whole after the rewrite: current, and a new report takes a new id.
    from etl.store.store import is_current

    con = duckdb.connect(str(fresh_db), read_only=True)
    assert is_current(con)
    con.close()
    [again] = load([report_with_marker(tmp_path, "again.txt")], fresh_db, council=COUNCIL, as_at=date(2024, 7, 31))
    assert again.outcome == "loaded" and report_id(fresh_db) > removed


def test_a_replaced_report_leaves_none_of_the_old_text(fresh_db, tmp_path):
    load_marked(fresh_db, tmp_path)
    corrected = tmp_path / "testshire-2024-07-corrected.txt"
    corrected.write_text(report_with_marker(tmp_path).read_text(encoding="utf-8").replace(MARKER, "A corrected"), encoding="utf-8")
    [outcome] = load([corrected], fresh_db, council=COUNCIL, as_at=date(2024, 7, 31))
    assert outcome.outcome == "replaced", outcome.line()
    assert marker_left(fresh_db) == []


def etl(*args, cwd):
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_the_command_line_removes_reports_and_logs_each(fresh_db, tmp_path, project_root):
    marked = load_marked(fresh_db, tmp_path)
    manchester = rows(fresh_db, f"SELECT report_id FROM reports WHERE council = '{SEEDS['003'][1]}'")[0][0]
    done = etl("remove", str(marked), str(manchester), "--db", str(fresh_db), cwd=project_root)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("removed") for line in lines)
    assert f"removed report {marked} ({COUNCIL}" in lines[0] and f"removed report {manchester} (" in lines[1]
    assert rows(fresh_db, f"SELECT count(*) FROM reports WHERE report_id IN ({marked}, {manchester})") == [(0,)]
    logged = rows(fresh_db, "SELECT report_id, outcome, loaded_by FROM ingest_log WHERE outcome = 'removed' ORDER BY attempt_id")
    assert [(r, o) for r, o, _ in logged] == [(marked, "removed"), (manchester, "removed")]
    assert all(by.endswith("(command line)") for _, _, by in logged)
    assert marker_left(fresh_db) == []


def test_the_command_line_removes_nothing_when_an_id_is_unknown(fresh_db, project_root):
    before = rows(fresh_db, "SELECT report_id FROM reports ORDER BY 1")
    refused = etl("remove", str(before[0][0]), "9999", "--db", str(fresh_db), cwd=project_root)
    assert refused.returncode == 1
    assert refused.stderr.strip().splitlines() == ["failed    report 9999: no such report; nothing was removed"]
    assert rows(fresh_db, "SELECT report_id FROM reports ORDER BY 1") == before
    for usage in (["remove", "--db", str(fresh_db)], ["remove", "first", "--db", str(fresh_db)]):
        assert etl(*usage, cwd=project_root).returncode == 2
    missing = etl("remove", "1", "--db", str(fresh_db.parent / "none.duckdb"), cwd=project_root)
    assert missing.returncode == 1 and "no store at" in missing.stderr
    assert not (fresh_db.parent / "none.duckdb").exists()
