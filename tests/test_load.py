"""Loading into a real DuckDB file: counts, contract types, idempotence, replacement, failures."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import etl.load as loading
from etl.load import load, remove_report
from tests.samples import SEEDS, seed_path
from tests.stores import rebuilt_snapshot, snapshot

CONTRACT_TYPES = {
    "council": "VARCHAR",
    "report_date": "DATE",
    "report_date_source": "VARCHAR",
    "source_file": "VARCHAR",
    "source_page": "INTEGER",
    "record_no": "INTEGER",
    "section": "VARCHAR",
    "ref": "VARCHAR",
    "audit_title": "VARCHAR",
    "directorate": "VARCHAR",
    "responsible": "VARCHAR",
    "recommendation": "VARCHAR",
    "latest_update": "VARCHAR",
    "risk_raw": "VARCHAR",
    "risk_level": "VARCHAR",
    "status": "VARCHAR",
    "original_target_date": "DATE",
    "current_target_date": "DATE",
    "target_history": "VARCHAR[]",
    "revision_count": "INTEGER",
    "days_past_original_target": "INTEGER",
    "days_past_current_target": "INTEGER",
    "no_update_flag": "BOOLEAN",
    "no_update_streak": "INTEGER",
    "latest_update_period": "VARCHAR",
    "recommendation_key": "VARCHAR",
}


def test_slippage_view_has_every_contract_column_with_its_type(read):
    described = read("DESCRIBE slippage")
    assert dict(zip(described["column_name"], described["column_type"])) == CONTRACT_TYPES


def test_counts_per_council(read):
    counts = read("SELECT council, count(*) AS n FROM slippage GROUP BY council")
    assert dict(zip(counts["council"], counts["n"])) == {
        SEEDS[s][1]: n for s, n in {"000": 20, "001": 81, "002": 13, "003": 19, "004": 28}.items()
    }


def test_slippage_figures_for_known_records(read):
    gpc = read("SELECT * FROM slippage WHERE audit_title = 'Government Procurement cards (GPC)'").row(0, named=True)
    assert gpc["target_history"] == ["2023-08-01", "2023-09-30", "2023-12-31", "2024-03-31", "2024-06-30", "2024-09-30", "TBC", "TBC"]
    assert gpc["revision_count"] == 6 and gpc["current_target_date"] is None
    assert gpc["days_past_original_target"] == (2024 - 2023) * 365 + 153  # 2023-08-01 -> 2024-12-31
    assert gpc["days_past_current_target"] is None and gpc["status"] == "open"
    closed = read("SELECT * FROM slippage WHERE council = 'Leicestershire County Council' AND status = 'closed'")
    assert closed.height > 0 and closed["days_past_original_target"].null_count() == closed.height
    flagged = read("SELECT count(*) AS n FROM slippage WHERE no_update_flag AND council = 'Cambridgeshire County Council'")
    assert flagged["n"][0] == 3


def test_target_events_keep_raw_text_and_cycle(read):
    events = read(
        "SELECT e.* FROM target_events e JOIN recommendations r USING (report_id, record_no) "
        "WHERE r.audit_title = 'Government Procurement cards (GPC)' ORDER BY seq"
    )
    assert events["raw_text"][0] == "01/08/2023" and events["source"][0] == "target"
    assert events["cycle"].to_list()[1:7] == ["2023-09", "2023-12", "2024-01", "2024-03", "2024-07", "2024-10"]


def test_rollups_agree_with_the_rows(read):
    by_council = read("SELECT * FROM slippage_by_council ORDER BY council")
    direct = read("SELECT council, count(*) FILTER (WHERE status = 'open') AS open FROM latest_slippage GROUP BY council ORDER BY council")
    assert by_council["open"].to_list() == direct["open"].to_list()
    by_risk = read("SELECT sum(recommendations) AS n FROM slippage_by_risk")
    assert by_risk["n"][0] == 161


def test_loading_the_same_file_again_changes_nothing(fresh_db):
    before = duckdb.connect(str(fresh_db), read_only=True).sql("SELECT count(*) FROM recommendations").fetchall()
    [outcome] = load([seed_path("000")], fresh_db, council=SEEDS["000"][1])
    assert outcome.outcome == "unchanged" and "already loaded" in outcome.message
    con = duckdb.connect(str(fresh_db), read_only=True)
    assert con.sql("SELECT count(*) FROM recommendations").fetchall() == before
    assert con.sql("SELECT outcome FROM ingest_log ORDER BY attempt_id DESC LIMIT 1").fetchall() == [("unchanged",)]


@pytest.mark.slow
def test_a_corrected_report_replaces_the_old_one(fresh_db, tmp_path):
    corrected = tmp_path / "harborough-corrected.txt"
    corrected.write_text(seed_path("000").read_text(encoding="utf-8").replace("Head of ICT", "Head of Digital"), encoding="utf-8")
    [outcome] = load([corrected], fresh_db, council=SEEDS["000"][1])
    assert outcome.outcome == "replaced" and "000_6cc52f1d1abac4ce.txt" in outcome.message
    con = duckdb.connect(str(fresh_db), read_only=True)
    rows = con.sql(
        "SELECT count(*), count(*) FILTER (WHERE responsible = 'Head of Digital') FROM slippage "
        "WHERE council = 'Harborough District Council'"
    ).fetchall()
    assert rows == [(20, 1)]


@pytest.mark.slow
def test_failures_are_one_line_each_and_the_good_file_still_loads(tmp_path):
    db = tmp_path / "audit.duckdb"
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    unknown = tmp_path / "notes.pptx"
    unknown.write_bytes(b"PK\x03\x04")
    no_table = tmp_path / "prose.txt"
    no_table.write_text("Minutes of the meeting.\nNothing tabular here.\n")
    outcomes = {
        o.file.name: o
        for o in load([empty, unknown, no_table, seed_path("002"), tmp_path / "missing.txt"], db, council="Leicestershire County Council")
    }
    assert outcomes["002_771e38b88e39f1cd.txt"].outcome == "loaded", outcomes["002_771e38b88e39f1cd.txt"].line()
    assert "empty" in outcomes["empty.txt"].message
    assert "unsupported file type .pptx" in outcomes["notes.pptx"].message
    assert "no recommendation table found" in outcomes["prose.txt"].message
    assert "no such file" in outcomes["missing.txt"].message
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("SELECT count(*) FROM reports").fetchall() == [(1,)]
    assert con.sql("SELECT count(*) FROM ingest_log WHERE outcome = 'failed'").fetchall() == [(4,)]


def test_a_file_name_with_a_newline_stays_one_line(tmp_path):
    db = tmp_path / "audit.duckdb"
    odd = tmp_path / "report\nloaded    forged.txt: 99 records\r\x1b[2J.txt"
    odd.write_text("Minutes of the meeting.\n")
    [outcome] = load([odd], db, council="Leicestershire County Council")
    line = outcome.line()
    assert len(line.splitlines()) == 1 and "\r" not in line and "\x1b" not in line
    assert "report\\nloaded    forged.txt: 99 records\\r\\x1b[2J.txt: " in line and line.startswith("failed")


def run_cli(*args, cwd: Path):
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


@pytest.mark.slow
def test_cli_exit_status_and_messages(tmp_path, project_root):
    db = tmp_path / "cli.duckdb"
    ok = run_cli("load", str(seed_path("003")), "--db", str(db), "--council", "Manchester City Council", cwd=project_root)
    assert ok.returncode == 0 and "loaded" in ok.stdout and "19 records" in ok.stdout
    missing_council = run_cli("load", str(seed_path("004")), "--db", str(db), cwd=project_root)
    assert missing_council.returncode == 1 and "no council given" in missing_council.stderr  # failures: standard error
    assert "no council given" not in missing_council.stdout
    assert "Traceback" not in missing_council.stdout + missing_council.stderr
    usage = run_cli("load", "--db", str(db), cwd=project_root)
    assert usage.returncode == 2


@pytest.mark.slow
def test_manifest_gives_each_file_its_council(tmp_path, project_root):
    db = tmp_path / "m.duckdb"
    result = run_cli("load", "data/samples", "--db", str(db), cwd=project_root)
    assert result.returncode == 0, result.stdout + result.stderr
    councils = duckdb.connect(str(db), read_only=True).sql("SELECT council FROM reports ORDER BY 1").fetchall()
    assert [c for (c,) in councils] == sorted(name for _, name in SEEDS.values())


@pytest.mark.slow
def test_synth_builds_a_realistic_store_with_the_same_views(tmp_path, project_root):
    db = tmp_path / "synth.duckdb"
    result = run_cli("synth", "--recommendations", "3000", "--db", str(db), "--seed", "7", cwd=project_root)
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    rows, councils, dates, revised, tbc, stale, closed = con.sql(
        "SELECT count(*), count(DISTINCT council), count(DISTINCT report_date), count(*) FILTER (WHERE revision_count > 0), "
        "count(*) FILTER (WHERE 'TBC' = ANY(target_history)), count(*) FILTER (WHERE no_update_flag), "
        "count(*) FILTER (WHERE status <> 'open') FROM slippage"
    ).fetchall()[0]
    assert 2500 <= rows <= 3500 and councils > 100 and dates == 12
    assert revised and tbc and stale and closed
    described = con.sql("DESCRIBE slippage").pl()
    assert dict(zip(described["column_name"], described["column_type"])) == CONTRACT_TYPES
    again = tmp_path / "again.duckdb"
    run_cli("synth", "--recommendations", "3000", "--db", str(again), "--seed", "7", cwd=project_root)
    figures = "SELECT council, report_date, record_no, target_history, status FROM slippage ORDER BY ALL"
    assert con.sql(figures).fetchall() == duckdb.connect(str(again), read_only=True).sql(figures).fetchall()


@pytest.mark.slow
def test_a_synthetic_store_takes_loads_and_removals_like_any_store(tmp_path, project_root):
    db = tmp_path / "synth.duckdb"
    assert run_cli("synth", "--recommendations", "3000", "--db", str(db), cwd=project_root).returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    [(highest,)] = con.sql("SELECT max(report_id) FROM reports").fetchall()
    assert con.sql("SELECT last_value FROM duckdb_sequences() WHERE sequence_name = 'report_ids'").fetchall() == [(highest,)]
    con.close()
    # before: "Duplicate key report_id: 1", the synthetic ids having been set without the sequence
    [added] = load([seed_path("002")], db, council="Synthetic Council 008")
    assert added.outcome == "loaded", added.line()
    removed = remove_report(db, 1, "test")
    assert removed.outcome == "removed", removed.line()
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("SELECT report_id FROM reports WHERE content_hash LIKE 'synthetic-%' ORDER BY 1 LIMIT 1").fetchall() == [(2,)]
    assert con.sql("SELECT max(report_id) FROM reports WHERE council = 'Synthetic Council 008'").fetchall() == [(highest + 1,)]
    con.close()
    materialised = ["slippage_facts", "movement_by_report"]
    assert snapshot(db, materialised) == rebuilt_snapshot(db, tmp_path, materialised)


@pytest.mark.slow
@pytest.mark.parametrize("error", [duckdb.Error(), RuntimeError(), ValueError("\n"), duckdb.ConstraintException("")])
def test_a_write_failing_with_an_empty_message_fails_its_file_only(fresh_db, tmp_path, monkeypatch, error):
    real = loading.store_report

    def store_report(con, report, loaded_by):
        if report.council == "Broken Council":
            raise error
        return real(con, report, loaded_by)

    monkeypatch.setattr(loading, "store_report", store_report)
    broken, good = tmp_path / "broken.txt", tmp_path / "good.txt"
    broken.write_text(seed_path("002").read_text(encoding="utf-8").replace("2026", "2027"), encoding="utf-8")
    good.write_text(seed_path("000").read_text(encoding="utf-8").replace("July 2024", "October 2024"), encoding="utf-8")
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        f'[[report]]\nfile = "broken.txt"\ncouncil = "Broken Council"\n\n[[report]]\nfile = "good.txt"\ncouncil = "{SEEDS["000"][1]}"\n',
        encoding="utf-8",
    )
    outcomes = {o.file.name: o for o in load([broken, good], fresh_db, manifest=manifest)}
    assert outcomes["broken.txt"].outcome == "failed"
    assert outcomes["broken.txt"].message == f"not stored: {type(error).__name__}"
    assert outcomes["good.txt"].outcome == "loaded"
    con = duckdb.connect(str(fresh_db), read_only=True)
    assert con.sql("SELECT message FROM ingest_log WHERE source_file = 'broken.txt'").fetchall() == [
        (f"not stored: {type(error).__name__}",)
    ]
    assert con.sql("SELECT count(*) FROM reports WHERE council = 'Broken Council'").fetchall() == [(0,)]


def test_a_reading_failure_without_a_message_is_still_one_line(fresh_db, tmp_path, monkeypatch):
    from etl.failures import Failed

    monkeypatch.setattr(loading, "parse_all", lambda jobs, *args: ((job, Failed(""), 0.1) for job in jobs))
    [outcome] = load([seed_path("002")], tmp_path / "new.duckdb", council="Anyshire")
    assert outcome.outcome == "failed" and outcome.message == "could not be read (no reason was given)"


def test_a_draft_that_breaks_half_way_leaves_the_whole_batch_to_the_locked_write(tmp_path, monkeypatch):
    """A batch is written into a draft of the store as its files are read. Should the draft break
    (its connection lost) after some files were written into it, no new draft may be started for
    the rest: it would lack those files, which would be said loaded and be missing."""
    writes = []
    real = loading._write_one

    def breaking_once(con, read, *args):
        writes.append(read.job.path.name)
        if len(writes) == 2:  # the second file's write into the draft: the connection is lost
            con.close()
            raise duckdb.ConnectionException("Connection already closed!")
        return real(con, read, *args)

    monkeypatch.setattr(loading, "_write_one", breaking_once)
    db = tmp_path / "store.duckdb"
    outcomes = load([seed_path(key) for key in ("000", "001", "002")], db, council="Anyshire", jobs=1)
    assert [o.outcome for o in outcomes] == ["loaded"] * 3
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("SELECT count(*) FROM reports").fetchall() == [(3,)]  # every file said loaded is in the store
    con.close()
