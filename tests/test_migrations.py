"""Migrations: numbered files applied in order and recorded; the tables they build are those
sql/schema.sql declares; a store written by the first release (tests/documents/stores/) is
recognised, brought up to date without losing a report, a load record or a warning, takes new
reports and is served by the dashboard; adding a column is a new file."""

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from etl.load import load
from etl.store import migrations, storage, store
from etl.store.migrations import MigrationError
from etl.store.readonly import open_safe
from etl.store.sqlfiles import SQL_DIR
from etl.store.store import ROOT, Store, is_current
from tests.apptests import dashboard_app
from tests.samples import SEEDS, seed_path
from tests.stores import BASE_TABLES, rebuilt_snapshot, snapshot


def table_rows(db, tables=BASE_TABLES, like: dict[str, list[tuple]] | None = None) -> dict[str, list[tuple]]:
    """Every row of each table; with `like`, only the columns those rows have (migrations add
    columns at the end of a table, so the columns a store had before are the first ones)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in tables}
    finally:
        con.close()
    if like is None:
        return found
    return {table: sorted(row[: len(like[table][0])] if like[table] else row for row in rows) for table, rows in found.items()}


def shape(con) -> dict:
    """Every table's columns (name, type, nullability, default, position), constraints and sequences."""
    columns = con.execute(
        "SELECT table_name, column_index, column_name, data_type, is_nullable, column_default "
        "FROM duckdb_columns() WHERE schema_name = 'main' ORDER BY ALL"
    ).fetchall()
    constraints = con.execute(
        "SELECT table_name, constraint_type, array_to_string(constraint_column_names, ',') "
        "FROM duckdb_constraints() WHERE schema_name = 'main' ORDER BY ALL"
    ).fetchall()
    sequences = con.execute("SELECT sequence_name, start_value, increment_by FROM duckdb_sequences() ORDER BY ALL").fetchall()
    return {"columns": columns, "constraints": constraints, "sequences": sequences}


# -- the files ---------------------------------------------------------------------------------
def test_the_migrations_build_exactly_the_tables_schema_sql_declares():
    migrated, declared = duckdb.connect(), duckdb.connect()
    migrations.migrate(migrated)
    for statement in declared.extract_statements((SQL_DIR / "schema.sql").read_text(encoding="utf-8")):
        declared.execute(statement).fetchall()
    got, want = shape(migrated), shape(declared)
    for part in want:
        missing = sorted(set(want[part]) - set(got[part]))
        extra = sorted(set(got[part]) - set(want[part]))
        assert not missing and not extra, (
            f"sql/schema.sql and sql/migrations/ disagree on {part}: declared but not migrated {missing}, "
            f"migrated but not declared {extra}. A table changes by a new numbered migration "
            f"(e.g. sql/migrations/{migrations.latest() + 1:03d}_add_x.sql: ALTER TABLE ... ADD COLUMN ...) "
            f"and schema.sql changed to match"
        )


def test_migrations_are_numbered_from_one_without_gaps():
    found = migrations.migrations()
    assert [m.number for m in found] == list(range(1, len(found) + 1))
    assert [m.label for m in found[:2]] == ["001_initial", "002_derived_objects"]


NEXT = len(migrations.migrations()) + 1


@pytest.mark.parametrize(
    "name, message",
    [
        (f"{NEXT + 1:03d}_skipped.sql", f"expected migration {NEXT:03d} next, found {NEXT + 1:03d}_skipped.sql"),
        ("3_short.sql", "a migration is named NNN_name.sql"),
        ("002_again.sql", "two migrations numbered 002: 002_again.sql and 002_derived_objects.sql"),
    ],
)
def test_a_misnumbered_migration_is_a_clear_error(sql_copy, name, message):
    (sql_copy / "migrations" / name).write_text(f"-- {Path(name).stem}: why.\nSELECT 1;\n", encoding="utf-8")
    with pytest.raises(MigrationError, match=message):
        migrations.migrations()


def test_the_first_migration_is_the_first_releases_schema():
    first = (SQL_DIR / "migrations" / "001_initial.sql").read_text(encoding="utf-8")
    released = subprocess.run(["git", "show", "1a9ad24:sql/schema.sql"], capture_output=True, text=True, cwd=ROOT)
    if released.returncode != 0:
        pytest.skip("no git history here")
    con_now, con_then = duckdb.connect(), duckdb.connect()
    for con, text in ((con_now, first), (con_then, released.stdout)):
        for statement in con.extract_statements(text):
            con.execute(statement).fetchall()
    assert shape(con_now) == shape(con_then)


# -- a store written by the first release ------------------------------------------------------
def test_a_first_release_store_is_recognised_as_at_the_first_migration(first_release):
    con = duckdb.connect(str(first_release), read_only=True)
    assert migrations.is_legacy(con) and migrations.version(con) == 1
    assert [m.label for m in migrations.pending(con)] == [m.label for m in migrations.migrations()[1:]]
    assert not is_current(con)
    con.close()


@pytest.mark.slow
def test_a_first_release_store_takes_a_new_report_and_keeps_everything(first_release, tmp_path):
    before = table_rows(first_release)
    later = tmp_path / "harborough-october.txt"
    later.write_text(seed_path("000").read_text(encoding="utf-8").replace("July 2024", "October 2024"), encoding="utf-8")
    [outcome] = load([later], first_release, council=SEEDS["000"][1])
    assert outcome.outcome == "loaded", outcome.line()
    after = table_rows(first_release, like=before)
    for table, rows in before.items():
        assert set(rows) <= set(after[table]), f"{table} lost rows"  # every report, load record and warning kept
    assert len(after["reports"]) == len(before["reports"]) + 1
    assert len(after["ingest_log"]) == len(before["ingest_log"]) + 1
    con = duckdb.connect(str(first_release), read_only=True)
    assert [(n, name) for n, name, _ in migrations.applied(con)] == [(m.number, m.name) for m in migrations.migrations()]
    assert is_current(con)
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'store_version'").fetchall() == [(0,)]
    assert con.execute("SELECT count(DISTINCT report_id) FROM slippage_detail").fetchall() == [(len(after["reports"]),)]
    con.close()
    assert snapshot(first_release) == rebuilt_snapshot(first_release, tmp_path)


@pytest.mark.slow
def test_etl_migrate_brings_a_first_release_store_up_to_date_once(first_release, project_root):
    before = table_rows(first_release)
    run = subprocess.run(
        [sys.executable, "-m", "etl", "migrate", "--db", str(first_release)], capture_output=True, text=True, cwd=project_root, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert f"migration 001 -> {migrations.latest():03d}" in run.stderr and "002_derived_objects" in run.stderr
    assert "slippage_facts" in run.stderr  # the materialised tables, rebuilt whole with this code's definitions
    assert table_rows(first_release, like=before) == before
    again = subprocess.run(
        [sys.executable, "-m", "etl", "migrate", "--db", str(first_release)], capture_output=True, text=True, cwd=project_root, timeout=300
    )
    assert again.returncode == 0 and f"up to date (migration {migrations.latest():03d})" in again.stderr


def test_etl_migrate_without_a_store_says_so(tmp_path, project_root):
    run = subprocess.run(
        [sys.executable, "-m", "etl", "migrate", "--db", str(tmp_path / "none.duckdb")],
        capture_output=True,
        text=True,
        cwd=project_root,
        timeout=120,
    )
    assert run.returncode == 1 and run.stderr.strip() == f"refused: no store at {tmp_path / 'none.duckdb'}"
    assert not (tmp_path / "none.duckdb").exists()


def test_a_store_whose_tables_are_not_the_first_releases_is_refused(tmp_path):
    db = tmp_path / "odd.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE reports (report_id INTEGER, council VARCHAR)").fetchall()
    con.close()
    with pytest.raises(MigrationError, match=r"not the first release's \(\d+ columns missing, such as ingest_log.attempt_id INTEGER"):
        Store(db).migrate()


@pytest.mark.slow
def test_a_store_written_by_a_newer_version_is_refused_and_left_alone(fresh_db, project_root):
    con = duckdb.connect(str(fresh_db))
    con.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', now())").fetchall()
    con.close()
    before = fresh_db.read_bytes()
    run = subprocess.run(
        [sys.executable, "-m", "etl", "load", str(seed_path("000")), "--council", "X", "--db", str(fresh_db)],
        capture_output=True,
        text=True,
        cwd=project_root,
        timeout=120,
    )
    assert run.returncode == 1
    assert "refused: the store is at migration 099 (from_the_future), written by a newer version" in run.stderr
    assert fresh_db.read_bytes() == before


# -- the next migration is a new file -----------------------------------------------------------
@pytest.mark.slow
def test_adding_a_column_is_a_new_numbered_file(fresh_db, sql_copy, tmp_path):
    (sql_copy / "migrations" / f"{NEXT:03d}_owner_email.sql").write_text(
        f"-- {NEXT:03d}_owner_email: the responsible officer's e-mail address, where the appendix gives one.\n"
        "ALTER TABLE recommendations ADD COLUMN owner_email VARCHAR;\n",
        encoding="utf-8",
    )
    before = table_rows(fresh_db)
    later = tmp_path / "harborough-october.txt"
    later.write_text(seed_path("000").read_text(encoding="utf-8").replace("July 2024", "October 2024"), encoding="utf-8")
    [outcome] = load([later], fresh_db, council=SEEDS["000"][1])
    assert outcome.outcome == "loaded", outcome.line()
    con = duckdb.connect(str(fresh_db), read_only=True)
    assert migrations.version(con) == NEXT
    columns = [name for (name,) in con.execute("SELECT column_name FROM (DESCRIBE recommendations)").fetchall()]
    assert columns[-1] == "owner_email"
    assert con.execute("SELECT count(*) FROM recommendations WHERE owner_email IS NULL").fetchall() == [
        (len(before["recommendations"]) + 20,)
    ]
    con.close()
    assert Store(fresh_db).last_write.rebuilt == []  # the load after it; the migrating write rebuilt
    after = table_rows(fresh_db, ("reports", "ingest_log", "parse_warnings"))
    for table in after:
        assert set(before[table]) <= set(after[table])


def test_a_failing_migration_names_its_file_and_leaves_the_store_as_it_was(fresh_db, sql_copy):
    (sql_copy / "migrations" / f"{NEXT:03d}_broken.sql").write_text(
        f"-- {NEXT:03d}_broken: a migration that fails half way.\n"
        "ALTER TABLE reports ADD COLUMN ok VARCHAR;\nALTER TABLE no_such_table ADD COLUMN x VARCHAR;\n",
        encoding="utf-8",
    )
    before = fresh_db.read_bytes()
    with pytest.raises(MigrationError, match=rf"sql/migrations/{NEXT:03d}_broken.sql failed: Catalog Error"):
        Store(fresh_db).migrate()
    assert fresh_db.read_bytes() == before
    con = duckdb.connect()  # and on a store written in place, the transaction leaves it at the last good one
    with pytest.raises(MigrationError):
        migrations.migrate(con)
    assert migrations.version(con) == NEXT - 1
    assert "ok" not in [name for (name,) in con.execute("SELECT column_name FROM (DESCRIBE reports)").fetchall()]


# -- the dashboard -----------------------------------------------------------------------------
def dashboard(db, monkeypatch) -> AppTest:
    return dashboard_app(db, monkeypatch, timeout=120)


@pytest.mark.slow
def test_the_dashboard_serves_a_first_release_store_after_migrating_it(first_release, monkeypatch):
    before = table_rows(first_release)
    at = dashboard(first_release, monkeypatch)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    con = open_safe(first_release)  # the dashboard's own configuration: DuckDB allows one per file in a process
    assert migrations.version(con) == migrations.latest() and is_current(con)
    assert str(storage.of(con)) == store.DEFAULT_STORAGE_VERSION  # rewritten from DuckDB 2.0's format: 1.x clients open it
    open_now = con.execute("SELECT count(*) FROM latest_slippage WHERE status = 'open'").fetchall()[0][0]
    now = {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in BASE_TABLES}
    assert {table: sorted(row[: len(before[table][0])] if before[table] else row for row in rows) for table, rows in now.items()} == before
    con.close()  # migrated, not rebuilt from its source files: every row as it was
    shown = {m.label: m.value for m in at.metric}
    assert shown["Open recommendations"] == f"{open_now:,}" and open_now > 0


def test_the_dashboard_says_what_to_run_when_it_cannot_migrate(first_release, monkeypatch):
    def cannot(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(store.Store, "migrate", cannot)
    at = dashboard(first_release, monkeypatch)
    assert not at.exception
    [error] = at.error
    assert f"run `python -m etl migrate --db {first_release}`" in error.value and "\n" not in error.value


def test_the_dashboard_refuses_a_store_from_a_newer_version_in_one_line(fresh_db, monkeypatch):
    con = duckdb.connect(str(fresh_db))
    con.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', now())").fetchall()
    con.close()
    at = dashboard(fresh_db, monkeypatch)
    [error] = at.error
    assert "written by a newer version of slippage" in error.value and "upgrade slippage" in error.value
