"""Backups in open formats: `etl export` writes every table as Parquet with the migrations and a
manifest; `etl import` restores it into a new store with identical figures; it never replaces a
store, and a damaged or foreign folder is refused."""

import json
import shutil
import subprocess
import sys

import duckdb
import polars as pl
import pytest

from etl.load import load, remove_report
from etl.store import migrations
from etl.store.backup import export_store, import_store
from etl.store.store import StoreError
from tests.samples import SEEDS, seed_path
from tests.stores import snapshot

pytestmark = pytest.mark.slow


def etl(*args, cwd):
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture
def lived_in(fresh_db, tmp_path):
    """The sample store after a later report, a removal (so a sequence is ahead of the ids) and a failure."""
    later = tmp_path / "harborough-october.txt"
    later.write_text(seed_path("000").read_text(encoding="utf-8").replace("July 2024", "October 2024"), encoding="utf-8")
    load([later, tmp_path / "missing.txt"], fresh_db, council=SEEDS["000"][1])
    con = duckdb.connect(str(fresh_db), read_only=True)
    [(newest,)] = con.execute("SELECT max(report_id) FROM reports").fetchall()
    con.close()
    assert remove_report(fresh_db, newest, "test").outcome == "removed"
    return fresh_db


def test_a_round_trip_gives_identical_tables_and_figures(lived_in, tmp_path, project_root):
    folder, restored = tmp_path / "backup", tmp_path / "restored.duckdb"
    exported = etl("export", str(folder), "--db", str(lived_in), cwd=project_root)
    assert exported.returncode == 0, exported.stderr
    imported = etl("import", str(folder), "--db", str(restored), cwd=project_root)
    assert imported.returncode == 0, imported.stderr
    assert snapshot(restored) == snapshot(lived_in)  # every base table, seed, staging view and mart
    for db in (lived_in, restored):  # and what comes next: the same ids, from the same sequences
        later = tmp_path / f"later-{db.stem}.txt"
        later.write_text(seed_path("003").read_text(encoding="utf-8").replace("Appendix 1", "Appendix 2"), encoding="utf-8")
        assert load([later], db, council=SEEDS["003"][1])[0].outcome == "replaced"
    for table, key in (("reports", "report_id"), ("ingest_log", "attempt_id")):
        ids = [duckdb.connect(str(db), read_only=True).execute(f"SELECT max({key}) FROM {table}").fetchall() for db in (lived_in, restored)]
        assert ids[0] == ids[1], table


def test_the_folder_holds_every_table_as_parquet_with_its_schema_and_manifest(lived_in, tmp_path):
    folder = tmp_path / "backup"
    summary = export_store(lived_in, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    con = duckdb.connect(str(lived_in), read_only=True)
    tables = {name for (name,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    views = {name for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {t["name"] for t in manifest["tables"]} == tables == set(summary.tables)
    assert not views & {t["name"] for t in manifest["tables"]}  # tables, not views
    for table in manifest["tables"]:
        frame = pl.read_parquet(folder / table["file"])  # readable without DuckDB
        assert frame.height == table["rows"] == con.execute(f"SELECT count(*) FROM {table['name']}").fetchall()[0][0]
        assert [c for c, _ in table["columns"]] == frame.columns
    kinds = {t["name"]: t["kind"] for t in manifest["tables"]}
    # what admins taught and corrected is data too: an export keeps it
    assert {name for name, kind in kinds.items() if kind == "data"} == {*SEEDS_TABLES, *TAUGHT_TABLES, *KEPT_FILES}
    assert kinds["schema_migrations"] == "history" and kinds["slippage_facts"] == "derived"
    assert [m["number"] for m in manifest["migrations"]] == [m.number for m in migrations.migrations()]
    assert sorted(p.name for p in (folder / "migrations").iterdir()) == [m.path.name for m in migrations.migrations()]
    assert (
        manifest["sequences"]["report_ids"]
        == con.execute("SELECT last_value FROM duckdb_sequences() WHERE sequence_name = 'report_ids'").fetchall()[0][0]
    )
    assert manifest["sequences"]["report_ids"] > con.execute("SELECT max(report_id) FROM reports").fetchall()[0][0]
    assert "CREATE TABLE recommendations" in (folder / "schema.sql").read_text(encoding="utf-8")
    con.close()


SEEDS_TABLES = ("reports", "recommendations", "target_events", "ingest_log", "parse_warnings")
TAUGHT_TABLES = ("layout_overrides", "record_corrections")
KEPT_FILES = ("report_sources",)  # each loaded report's file, for re-reading it


def test_an_export_of_a_first_release_store_imports_into_todays(first_release, tmp_path):
    folder, restored = tmp_path / "backup", tmp_path / "restored.duckdb"
    before = snapshot(first_release, list(SEEDS_TABLES))
    export_store(first_release, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == 1 and manifest["migrations"][0]["name"] == "initial"
    assert {t["name"]: t["kind"] for t in manifest["tables"]}["store_version"] == "derived"
    summary = import_store(folder, restored)
    assert summary.version == migrations.latest()
    after = snapshot(restored, list(SEEDS_TABLES))
    # later migrations only add columns at the end of a table: the first release's columns are kept
    assert {name: [row[: len(before[name][0])] for row in rows] for name, rows in after.items()} == before
    con = duckdb.connect(str(restored), read_only=True)
    assert migrations.version(con) == migrations.latest()
    assert con.execute("SELECT count(*) FROM slippage_detail").fetchall() == [(len(before["recommendations"]),)]
    con.close()


@pytest.mark.parametrize("existing", ["store", "empty file", "symlink"])
def test_an_import_never_replaces_anything(lived_in, tmp_path, project_root, existing):
    folder = tmp_path / "backup"
    export_store(lived_in, folder)
    target = tmp_path / "target.duckdb"
    if existing == "store":
        shutil.copyfile(lived_in, target)
    elif existing == "empty file":
        target.write_bytes(b"")
    else:
        target.symlink_to(tmp_path / "nowhere.duckdb")
    before = target.read_bytes() if target.exists() else None
    run = etl("import", str(folder), "--db", str(target), cwd=project_root)
    assert run.returncode == 1 and run.stderr.startswith(f"refused: {target} already exists")
    assert (target.read_bytes() if target.exists() else None) == before
    assert not [p for p in tmp_path.iterdir() if ".importing" in p.name]


def test_a_damaged_or_foreign_folder_is_refused(lived_in, tmp_path):
    folder = tmp_path / "backup"
    export_store(lived_in, folder)
    with open(folder / "tables" / "reports.parquet", "r+b") as fh:
        fh.seek(100)
        fh.write(b"\0\0\0\0")
    with pytest.raises(StoreError, match="reports.parquet is not the file exported .*damaged"):
        import_store(folder, tmp_path / "new.duckdb")
    (folder / "manifest.json").unlink()
    with pytest.raises(StoreError, match="no manifest.json"):
        import_store(folder, tmp_path / "new.duckdb")
    (folder / "manifest.json").write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(StoreError, match="not a slippage store export"):
        import_store(folder, tmp_path / "new.duckdb")
    assert not (tmp_path / "new.duckdb").exists()


def test_an_export_from_a_newer_version_is_refused(lived_in, tmp_path):
    folder = tmp_path / "backup"
    export_store(lived_in, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["version"] = 99
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StoreError, match="newer than this version of slippage knows"):
        import_store(folder, tmp_path / "new.duckdb")


def test_an_export_needs_a_new_folder_and_a_store(lived_in, tmp_path, project_root):
    folder = tmp_path / "used"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    run = etl("export", str(folder), "--db", str(lived_in), cwd=project_root)
    assert run.returncode == 1 and "is not an empty folder" in run.stderr
    run = etl("export", str(tmp_path / "new"), "--db", str(tmp_path / "none.duckdb"), cwd=project_root)
    assert run.returncode == 1 and run.stderr.strip() == f"refused: no store at {tmp_path / 'none.duckdb'}"
