"""What a write does to the store file itself: it keeps the file's mode and owner, follows a
symbolic link to the real file, and carries a write-ahead log another program left beside it."""

import os
import subprocess
import sys

import duckdb
import pytest

from etl.load import load
from etl.store.store import Store
from tests.samples import SEEDS, seed_path


def later_report(folder):
    path = folder / "harborough-october.txt"
    path.write_text(seed_path("000").read_text(encoding="utf-8").replace("July 2024", "October 2024"), encoding="utf-8")
    return path


def reports(db) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM reports").fetchall()[0][0]
    finally:
        con.close()


@pytest.mark.slow
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664])
def test_a_write_keeps_the_files_mode(fresh_db, tmp_path, mode):
    os.chmod(fresh_db, mode)
    [outcome] = load([later_report(tmp_path)], fresh_db, council=SEEDS["000"][1])
    assert outcome.outcome == "loaded"
    assert os.stat(fresh_db).st_mode & 0o7777 == mode  # before: every write left 0600


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another owner")
def test_a_write_keeps_the_files_owner_and_group(fresh_db):
    os.chown(fresh_db, 4321, 4322)
    Store(fresh_db).migrate()
    found = os.stat(fresh_db)
    assert (found.st_uid, found.st_gid) == (4321, 4322)


@pytest.mark.slow
def test_a_db_that_is_a_symbolic_link_is_followed(fresh_db, tmp_path):
    real = fresh_db
    link = tmp_path / "links" / "audit.duckdb"
    link.parent.mkdir()
    link.symlink_to(real)
    before = reports(real)
    [outcome] = load([later_report(tmp_path)], link, council=SEEDS["000"][1])
    assert outcome.outcome == "loaded"
    assert link.is_symlink() and os.readlink(link) == str(real)  # before: the link was replaced by a file
    assert reports(real) == before + 1  # the real store took the load
    assert not list(link.parent.glob("*.loading*")) and not list(real.parent.glob("*.loading*"))


def test_a_link_to_a_link_is_followed_to_the_file(fresh_db, tmp_path):
    first, second = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    first.symlink_to(fresh_db)
    second.symlink_to(first)
    Store(second).migrate()
    assert first.is_symlink() and second.is_symlink() and not fresh_db.is_symlink()
    assert Store(second).real_path == fresh_db.resolve()


LEAVE_A_WAL = """
import os, sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("PRAGMA disable_checkpoint_on_shutdown")
con.execute("SET checkpoint_threshold = '1GB'")
con.execute("INSERT INTO ingest_log (attempted_at, source_file, outcome, loaded_by) VALUES (now(), 'by hand', 'loaded', 'dba')")
os._exit(0)  # no checkpoint: the row is only in audit.duckdb.wal
"""


@pytest.mark.slow
def test_a_write_ahead_log_left_beside_the_store_is_kept(fresh_db, project_root):
    subprocess.run([sys.executable, "-c", LEAVE_A_WAL, str(fresh_db)], check=True, cwd=project_root)
    assert fresh_db.with_name(fresh_db.name + ".wal").exists()
    [outcome] = load([later_report(fresh_db.parent)], fresh_db, council=SEEDS["000"][1])
    assert outcome.outcome == "loaded", outcome.line()
    con = duckdb.connect(str(fresh_db), read_only=True)
    assert con.execute("SELECT count(*) FROM ingest_log WHERE source_file = 'by hand'").fetchall() == [(1,)]
    con.close()


def test_a_draft_made_while_files_are_read_is_published_when_the_store_is_as_it_was(fresh_db):
    before = reports(fresh_db)
    draft = Store(fresh_db).draft()
    assert draft is not None and draft.con is not None
    draft.con.execute("DELETE FROM reports WHERE report_id = (SELECT max(report_id) FROM reports)").fetchall()
    assert reports(fresh_db) == before  # nothing reaches the store before it is published
    assert Store(fresh_db).publish(draft)
    assert reports(fresh_db) == before - 1
    assert not [p for p in fresh_db.parent.iterdir() if ".draft" in p.name]


def test_a_draft_is_refused_when_another_write_came_first_and_the_other_write_is_kept(fresh_db, tmp_path):
    draft = Store(fresh_db).draft()
    assert draft is not None and draft.con is not None
    draft.con.execute("DELETE FROM reports").fetchall()
    [outcome] = load([later_report(tmp_path)], fresh_db, council=SEEDS["000"][1])  # publishes first
    assert outcome.outcome == "loaded"
    assert not Store(fresh_db).publish(draft)  # its copy is of a store that is no longer there
    assert reports(fresh_db) == len(SEEDS) + 1  # the other write kept, the draft's change not made
    assert not [p for p in fresh_db.parent.iterdir() if ".draft" in p.name]


def test_a_dead_loads_draft_is_cleared_by_the_next_write_and_a_live_ones_is_not(fresh_db, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    left = fresh_db.with_name(f"{fresh_db.name}.abc123.{dead.stdout.strip()}.draft")
    left.write_bytes(b"a copy a killed load was writing")
    live = Store(fresh_db).draft()
    assert live is not None
    load([later_report(tmp_path)], fresh_db, council=SEEDS["000"][1])
    assert not left.exists()
    assert live.tmp.exists()  # this process is alive: its draft may still be published
    live.discard()
