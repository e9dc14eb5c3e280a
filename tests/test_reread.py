"""Re-reading a council's earlier reports without their files: the store keeps each loaded report's
file (report_sources, migration 007) and takes it out with the report; `etl reread --council` reads
every report of the council again from it with what the council has been taught since, each in one
transaction logged as `replaced` with who and what changed; a correction of one record survives; a
report loaded before files were kept is named as needing its file."""

import subprocess
import sys
import zlib
from datetime import date
from pathlib import Path

import duckdb
import pytest

from etl.layouts.overrides import to_toml
from etl.load import load, remove_report
from etl.outcomes import LoadOutcome
from etl.reread import reread_council
from etl.store import layout_overrides
from etl.store.corrections import Correction, correct
from etl.store.store import Store
from etl.store.writes import kept_bytes
from tests.teaching import KESTREL, KESTREL_LEVELS, KESTREL_TAUGHT, kestrel_first, kestrel_second

pytestmark = pytest.mark.slow  # each loads reports into a store and reads them again


def etl(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


def rows(db: Path, query: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def loaded_untaught(db: Path, folder: Path) -> tuple[Path, Path]:
    first, second = kestrel_first(folder), kestrel_second(folder)
    outcomes = load([first, second], db, council=KESTREL, loaded_by="Clerk (upload)")
    assert [o.outcome for o in outcomes] == ["loaded", "loaded"]
    return first, second


def taught(db: Path) -> None:
    with Store(db).writing() as con:
        layout_overrides.save(con, KESTREL, to_toml(KESTREL, KESTREL_TAUGHT), "A. Smith (admin)", "taught")


def test_a_loaded_report_keeps_its_file_and_its_removal_takes_it_out(tmp_path):
    db = tmp_path / "store.duckdb"
    first, second = loaded_untaught(db, tmp_path)
    kept = {
        name: kept_bytes(data, compression)
        for name, data, compression in rows(db, "SELECT file_name, bytes, compression FROM report_sources")
    }
    assert kept == {first.name: first.read_bytes(), second.name: second.read_bytes()}
    removed_as_kept = zlib.compress(first.read_bytes(), 1)
    assert removed_as_kept in db.read_bytes()
    [(first_id,)] = rows(db, f"SELECT report_id FROM reports WHERE source_file = '{first.name}'")
    assert remove_report(db, first_id, "Clerk (admin)").outcome == "removed"
    assert [name for (name,) in rows(db, "SELECT file_name FROM report_sources")] == [second.name]
    # none of the removed file's bytes stay in the store file (its summary row is in the first report only)
    assert b"Check grant claims against evidence before payment." in second.read_bytes()
    assert b"Reconcile payroll to the ledger every month." not in db.read_bytes()
    assert removed_as_kept not in db.read_bytes()


def test_reread_council_reads_every_earlier_report_from_the_store_with_the_teaching(tmp_path, project_root):
    db = tmp_path / "store.duckdb"
    first, second = loaded_untaught(db, tmp_path)
    assert rows(db, "SELECT count(*) FROM recommendations WHERE ref IS NULL") == [(7,)]  # summary rows read as records
    taught(db)
    for file in (first, second):
        file.unlink()  # the files are not at hand
    done = etl("reread", "--council", KESTREL.lower(), "--db", str(db), cwd=project_root)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split()[:2] for line in lines] == [["replaced", first.name + ":"], ["replaced", second.name + ":"]]
    assert "re-read with version 1 of its layout override" in lines[0]
    # with the summary table left out the records are read without a section heading: a change, so said
    assert lines[0].endswith("4 of 4 records changed (section in 4), 3 records read before no longer read")
    latest = dict(rows(db, "SELECT ref, risk_level FROM slippage WHERE report_date = '2026-03-31'"))
    assert latest == {k: KESTREL_LEVELS[k] for k in ("KM/02", "KM/03", "KM/04", "KM/05")}
    assert rows(db, "SELECT count(*) FROM recommendations WHERE ref IS NULL") == [(0,)]
    logged = rows(db, "SELECT outcome, loaded_by, council FROM ingest_log ORDER BY attempt_id")
    assert len(logged) == 4 and all(
        outcome == "replaced" and by.endswith("(command line)") and council == KESTREL for outcome, by, council in logged[2:]
    )
    assert len(rows(db, "SELECT * FROM report_sources")) == 2  # the re-read keeps each file


def test_a_correction_survives_the_reread_and_the_change_is_said(tmp_path):
    db = tmp_path / "store.duckdb"
    taught(db)
    loaded_untaught(db, tmp_path)
    [(report_id, record_no)] = rows(
        db,
        "SELECT report_id, record_no FROM recommendations rec JOIN reports USING "
        "(report_id) WHERE ref = 'KM/03' AND report_date = '2025-09-30'",
    )
    with Store(db).writing() as con:
        correct(con, Correction(report_id, record_no, "status", "implemented", "restore test passed in September", "A. Smith (admin)"))
    with Store(db).writing() as con:  # taught since: the council's key runs from critical
        key = {"Priority 1": "critical", "Priority 2": "high", "Priority 3": "medium"}
        text = to_toml(KESTREL, {**KESTREL_TAUGHT, "risk": {"key": key}})
        layout_overrides.save(con, KESTREL, text, "B. Jones (admin)", "taught again")
    outcomes = reread_council(db, KESTREL, "B. Jones (admin)")
    assert [o.outcome for o in outcomes] == ["replaced", "replaced"]
    assert outcomes[0].message.endswith("4 of 4 records changed (risk_level in 4)")
    assert rows(db, "SELECT status FROM slippage WHERE ref = 'KM/03' AND report_date = '2025-09-30'") == [("implemented",)]
    assert rows(db, "SELECT risk_level FROM slippage WHERE ref = 'KM/04' AND report_date = '2025-09-30'") == [("medium",)]


def test_a_report_loaded_before_files_were_kept_is_named_as_needing_its_file(tmp_path, project_root):
    db = tmp_path / "store.duckdb"
    first, _ = loaded_untaught(db, tmp_path)
    taught(db)
    with Store(db).writing() as con:  # as a store migrated from before 007 holds it: no file for the first report
        con.execute("DELETE FROM report_sources WHERE file_name = ?", [first.name]).fetchall()
    outcomes = reread_council(db, KESTREL, "A. Smith (admin)")
    assert [o.outcome for o in outcomes] == [LoadOutcome.NEEDS_ITS_FILE, LoadOutcome.REPLACED]
    assert "was loaded before the store kept files: re-read it with its file at hand" in outcomes[0].message
    assert str(outcomes[0].file) == first.name
    assert rows(db, "SELECT count(*) FROM recommendations WHERE ref IS NULL AND report_id = 1") == [(3,)]  # as it was
    done = etl("reread", "--council", KESTREL, "--db", str(db), cwd=project_root)
    assert done.returncode == 1 and LoadOutcome.NEEDS_ITS_FILE in done.stderr
    nobody = etl("reread", "--council", "Nowhere Council", "--db", str(db), cwd=project_root)
    assert nobody.returncode == 1 and "Nowhere Council has no reports" in nobody.stderr


def test_a_replaced_report_takes_its_old_file_out(tmp_path):
    db = tmp_path / "store.duckdb"
    first, _ = loaded_untaught(db, tmp_path)
    amended = tmp_path / "kestrel-moor-2025-09-amended.md"
    amended.write_text(first.read_text(encoding="utf-8").replace("Revised process drafted.", "Process agreed."), encoding="utf-8")
    [outcome] = load([amended], db, council=KESTREL, as_at=date(2025, 9, 30))
    assert outcome.outcome == "replaced", outcome.line()
    assert sorted(name for (name,) in rows(db, "SELECT file_name FROM report_sources")) == [amended.name, "kestrel-moor-2026-03.md"]


def test_a_column_taught_as_another_field_is_said_as_changed(tmp_path):
    """A teaching that moves a column from one field to another (here from further action to the
    management response) changes what was read even though risk, status and dates stay: the re-read
    says so, field by field, rather than "nothing changed"."""
    db, council = tmp_path / "store.duckdb", "Fenwick Heath Council"
    paper = tmp_path / "fenwick-heath-2025-06.csv"
    paper.write_text(
        "Ref,Audit,Recommendation,Priority,Responsible Officer,Deadline,Status,Update,Next steps\n"
        "FH/01,Payroll,Reconcile payroll monthly,High,Head of HR,30/09/2025,Open,Drafted,Sign-off by finance\n"
        "FH/02,Fleet,Record vehicle checks,Low,Fleet Manager,31/12/2025,Open,Started,Train the drivers\n",
        encoding="utf-8",
    )
    [loaded] = load([paper], db, council=council, as_at=date(2025, 6, 30), loaded_by="Clerk (upload)")
    assert loaded.outcome == "loaded", loaded.line()
    assert rows(db, "SELECT further_action FROM recommendations ORDER BY record_no") == [("Sign-off by finance",), ("Train the drivers",)]
    with Store(db).writing() as con:
        taught_as = to_toml(council, {"columns": {"Next steps": "management_response"}})
        layout_overrides.save(con, council, taught_as, "A. Smith (admin)", "taught")
    [outcome] = reread_council(db, council, "A. Smith (admin)")
    assert outcome.outcome == "replaced", outcome.line()
    assert outcome.message.endswith("2 of 2 records changed (management_response in 2, further_action in 2)")


def test_a_file_kept_uncompressed_before_migration_008_is_reread_as_it_was(tmp_path):
    db = tmp_path / "store.duckdb"
    first, second = loaded_untaught(db, tmp_path)
    taught(db)
    with Store(db).writing() as con:  # as 007 kept it: the bytes as loaded, no compression named
        con.execute(
            "UPDATE report_sources SET bytes = ?, compression = NULL WHERE file_name = ?", [first.read_bytes(), first.name]
        ).fetchall()
    for file in (first, second):
        file.unlink()
    outcomes = reread_council(db, KESTREL, "A. Smith (admin)")
    assert [o.outcome for o in outcomes] == [LoadOutcome.REPLACED, LoadOutcome.REPLACED]
    assert rows(db, "SELECT count(*) FROM recommendations WHERE ref IS NULL") == [(0,)]  # both read with the teaching
