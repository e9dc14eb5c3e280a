"""The store opens in the DuckDB 1.x clients analysts use: every store is written in the storage
version of the setting (v1.4.0 by default), a store in DuckDB 2.0's own format is rewritten into it
by the next write or `etl migrate` without losing a row, and every way a store comes to be (a load,
an import, the demo, synth) writes it so. The 1.x clients are real, installed from the registry
(tests/olderduckdb.py)."""

import os
import subprocess
import sys

import duckdb
import pytest

from etl.store import storage
from etl.store.backup import export_store, import_store
from etl.store.readonly import open_safe
from etl.store.store import DEFAULT_STORAGE_VERSION, Store, is_current
from etl.store.synth import build_demo_store, build_synthetic_store
from tests import olderduckdb
from tests.stores import BASE_TABLES
from tests.test_migrations import table_rows

pytestmark = pytest.mark.slow

SLIPPAGE_BY_COUNCIL = "SELECT council, count(*) AS rows, sum(revision_count) AS revisions FROM slippage GROUP BY council ORDER BY council"


def storage_of(db) -> str:
    con = open_safe(db)  # the configuration every test (and page) opens the shared sample store with
    try:
        return str(storage.of(con))
    finally:
        con.close()


def answer_in_2x(db) -> list[list[str]]:
    con = open_safe(db)
    try:
        return [[str(v) for v in row] for row in con.execute(SLIPPAGE_BY_COUNCIL).fetchall()]
    finally:
        con.close()


def etl(*args, **env):
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True, timeout=300, env={**os.environ, **env})


@pytest.fixture(scope="module")
def newest_1x():
    return olderduckdb.client(olderduckdb.NEWEST_1X, with_cli=True)


@pytest.fixture(scope="module")
def setting_release():
    return olderduckdb.client(olderduckdb.SETTING_RELEASE)


def test_a_loaded_store_opens_in_the_newest_1x_command_line_client(sample_db, newest_1x):
    run = newest_1x.run_cli(sample_db, SLIPPAGE_BY_COUNCIL)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0] == "council,rows,revisions"
    assert [line.split(",") for line in lines[1:]] == answer_in_2x(sample_db)


def test_a_loaded_store_opens_in_the_release_the_setting_names(sample_db, setting_release):
    assert storage_of(sample_db) == DEFAULT_STORAGE_VERSION
    run = setting_release.run_python(
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(duckdb.__version__, con.sql('SELECT count(*) FROM slippage').fetchall())",
        str(sample_db),
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [olderduckdb.SETTING_RELEASE, "[(161,)]"]


def test_a_store_in_duckdb_2_format_is_rewritten_by_migrate_keeping_every_row(first_release, newest_1x, project_root):
    """The first release wrote DuckDB 2.0's own format, which 1.x refuses; migrate rewrites it once."""
    assert storage_of(first_release) == "v2.0.0"
    refused = newest_1x.run_cli(first_release, "SELECT count(*) FROM reports")
    assert refused.returncode != 0 and "version number" in refused.stderr
    before = table_rows(first_release)
    run = etl("migrate", "--db", str(first_release))
    assert run.returncode == 0, run.stderr
    assert f"rewritten from storage version v2.0.0 to {DEFAULT_STORAGE_VERSION}" in run.stderr
    assert storage_of(first_release) == DEFAULT_STORAGE_VERSION
    assert table_rows(first_release, like=before) == before  # every report, load record and warning
    opened = newest_1x.run_cli(first_release, "SELECT count(*) AS n FROM slippage")
    assert opened.returncode == 0 and opened.stdout.split() == ["n", "161"], opened.stderr
    again = etl("migrate", "--db", str(first_release))
    assert again.returncode == 0 and "up to date" in again.stderr


def test_a_store_in_a_newer_format_is_not_current_so_the_dashboard_migrates_it(first_release):
    Store(first_release).migrate()
    con = duckdb.connect(str(first_release), read_only=True)
    assert is_current(con)
    con.close()
    storage.rewrite(first_release, storage.StorageVersion(2, 0, 0))
    con = duckdb.connect(str(first_release), read_only=True)
    assert not is_current(con)  # app/data.py ensure_store migrates a store that is not current
    con.close()


def test_the_setting_chooses_the_storage_version(tmp_path, project_root):
    """SLIPPAGE_STORAGE_VERSION=v2.0.0 writes DuckDB 2.0's own format: it is the setting that decides."""
    from tests.samples import seed_path

    db = tmp_path / "audit.duckdb"
    run = etl("load", str(seed_path("000")), "--council", "Harborough District Council", "--db", str(db), SLIPPAGE_STORAGE_VERSION="v2.0.0")
    assert run.returncode == 0, run.stderr
    assert storage_of(db) == "v2.0.0"


@pytest.mark.parametrize("given, said", [("1.4", "not a DuckDB storage version"), ("v9.0.0", "outside what this DuckDB")])
def test_a_storage_version_duckdb_cannot_write_is_one_line(tmp_path, given, said):
    db = tmp_path / "audit.duckdb"
    run = etl("synth", "--recommendations", "100", "--db", str(db), SLIPPAGE_STORAGE_VERSION=given)
    assert run.returncode == 1 and said in run.stderr and len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert not db.exists()


def test_every_way_a_store_is_made_writes_the_setting(tmp_path, fresh_db):
    export_store(fresh_db, tmp_path / "export")
    import_store(tmp_path / "export", tmp_path / "imported.duckdb")
    build_demo_store(tmp_path / "demo.duckdb")
    build_synthetic_store(tmp_path / "synth.duckdb", 200)
    for name in ("imported", "demo", "synth"):
        assert storage_of(tmp_path / f"{name}.duckdb") == DEFAULT_STORAGE_VERSION, name
    assert table_rows(tmp_path / "imported.duckdb", BASE_TABLES) == table_rows(fresh_db, BASE_TABLES)
