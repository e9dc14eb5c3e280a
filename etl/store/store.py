"""The store: one DuckDB file, where it is, how it is read and written, and which version of the
tables and views it holds. Only the ETL writes it, always through Store.writing()."""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = ROOT / "sql"
DEFAULT_DB = ROOT / "data" / "audit.duckdb"
SAMPLES_DIR = ROOT / "data" / "samples"


def db_path(given: str | os.PathLike | None = None) -> Path:
    """The database file: the one given, else $SLIPPAGE_DB, else data/audit.duckdb."""
    return Path(given or os.environ.get("SLIPPAGE_DB") or DEFAULT_DB)


def sql_text(name: str) -> str:
    return (SQL_DIR / name).read_text(encoding="utf-8")


def views_version() -> str:
    """Identifies this code's tables and views; stored in the store by every load."""
    text = "".join(sql_text(name) for name in ("schema.sql", "views.sql", "marts.sql"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _run_file(con: duckdb.DuckDBPyConnection, name: str) -> None:
    for statement in con.extract_statements(sql_text(name)):
        con.execute(statement).fetchall()


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables if missing and (re)create the staging views."""
    _run_file(con, "schema.sql")
    _run_file(con, "views.sql")


def refresh_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the materialised facts from the tables and (re)create the marts on them; stamp
    the store with this code's version. Every write to the store ends here."""
    con.execute("CREATE OR REPLACE TABLE slippage_facts AS "
                "SELECT * FROM stg_slippage_computed ORDER BY council, report_date, record_no").fetchall()
    # A mart that an older version kept as a view and this one materialises: drop the view first.
    tables = re.findall(r"CREATE OR REPLACE TABLE (\w+)", sql_text("marts.sql"))
    for (view,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal AND list_contains(?, view_name)",
                               [tables]).fetchall():
        con.execute(f"DROP VIEW {view} CASCADE").fetchall()
    _run_file(con, "marts.sql")
    con.execute("CREATE OR REPLACE TABLE store_version AS SELECT ? AS views_version", [views_version()]).fetchall()


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a store's views are this code's (an older store is brought up to date by a load)."""
    try:
        return con.execute("SELECT views_version FROM store_version").fetchall() == [(views_version(),)]
    except duckdb.Error:
        return False


class Store:
    """One store file. A write works on a copy beside it and renames the copy over it, so a
    reader keeps a consistent file open, a write never waits on a reader, and a write killed
    half-way leaves the previous store untouched."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    @classmethod
    def at(cls, given: str | os.PathLike | None = None) -> Store:
        return cls(db_path(given))

    def file_version(self) -> tuple[int, int] | None:
        """Changes whenever a write renames a new file into place: the key for reopening and caches."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns

    @contextmanager
    def writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A writable copy of the store, renamed over it when the block ends without error."""
        db = self.path
        db.parent.mkdir(parents=True, exist_ok=True)
        with open(db.with_name(db.name + ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # one writer at a time; readers never wait
            for stale in db.parent.glob(db.name + ".*.loading*"):  # left by a write that was killed
                stale.unlink(missing_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=db.name + ".", suffix=".loading", dir=db.parent)
            os.close(fd)
            tmp = Path(tmp_name)
            try:
                if db.exists():
                    shutil.copyfile(db, tmp)
                else:
                    tmp.unlink()
                con = duckdb.connect(str(tmp))
                con.execute("SET enable_progress_bar = false").fetchall()  # a load prints its own progress
                try:
                    apply_schema(con)
                    yield con
                    refresh_marts(con)
                    con.execute("CHECKPOINT").fetchall()
                finally:
                    con.close()
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                os.replace(tmp, db)
            finally:
                tmp.unlink(missing_ok=True)
                Path(str(tmp) + ".wal").unlink(missing_ok=True)
