"""The store as pages see it: the one read-only connection this server holds, the first-run
build, and the pages' queries (sql/queries/NAME.sql), cached per store version. Also the guard a
page runs before showing figures while nothing is loaded."""
from __future__ import annotations

import functools
import threading
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from etl.store.readonly import open_safe
from etl.store.store import SAMPLES_DIR, SQL_DIR, Store

QUERIES = SQL_DIR / "queries"


def store_path() -> Path:
    return Store.at().path


def store_version(path: Path) -> tuple[int, int] | None:
    """Changes whenever a load renames a new file into place: the key for reopening and caches."""
    return Store(path).file_version()


def ensure_store() -> None:
    """First run: build the store from the bundled samples, with a visible progress message.
    A store written by another version is migrated through the ETL (on a copy renamed into place;
    nothing is re-read from its source files), or, when it cannot be, the page says in one line
    what to run."""
    path = store_path()
    from etl.load import load

    if path.exists():
        if not _store_is_current(str(path), store_version(path)):
            _migrate(path)
        return

    with st.status("No database yet: building it from the bundled sample appendices…", expanded=True) as status:
        outcomes = load([SAMPLES_DIR], path, on_outcome=lambda o: st.text(o.line()))
        failed = [o for o in outcomes if not o.ok]
        status.update(label=f"Database built: {len(outcomes) - len(failed)} reports loaded",
                      state="error" if failed else "complete", expanded=bool(failed))


def _migrate(path: Path) -> None:
    from etl.failures import first_line
    from etl.store.migrations import MigrationError

    try:
        with st.spinner("Bringing the database up to this version…"):
            Store(path).migrate()
    except MigrationError as exc:  # e.g. written by a newer version: the message says what to do
        st.error(f"The database cannot be shown: {first_line(exc)}")
        st.stop()
    except Exception as exc:  # e.g. a folder the dashboard may not write
        st.error(f"The database was written by another version of slippage and could not be brought up to date "
                 f"here ({first_line(exc)}): run `python -m etl migrate --db {path}`")
        st.stop()


class _OpenStore:
    """The one read-only connection this server holds, and which file version it reads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.key: tuple | None = None
        self.con: duckdb.DuckDBPyConnection | None = None


@st.cache_resource(show_spinner=False)
def _open_store() -> _OpenStore:
    return _OpenStore()


def connection() -> duckdb.DuckDBPyConnection:
    """The read-only, locked-down connection, reopened when a load has swapped in a new file.

    DuckDB keeps one database instance per path in a process, so the old connection is closed
    before the new file is opened; otherwise the old file's instance would be handed back."""
    path = store_path()
    key = (str(path), store_version(path))
    holder = _open_store()
    with holder.lock:
        if holder.con is None or holder.key != key:
            if holder.con is not None:
                holder.con.close()
            holder.con, holder.key = open_safe(path), key
        return holder.con


@st.cache_data(max_entries=4, show_spinner=False)
def _store_is_current(path: str, version: tuple[int, int] | None) -> bool:
    from etl.store.store import is_current

    return is_current(connection())


@functools.cache
def sql_file(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_query(name: str, params: tuple, version: tuple[int, int] | None) -> pl.DataFrame:
    cursor = connection().cursor()
    try:
        return cursor.sql(sql_file(name), params=dict(params)).pl()
    finally:
        cursor.close()


def query(name: str, **params) -> pl.DataFrame:
    """Run sql/queries/NAME.sql with named parameters; cached per store version and parameters."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    thawed = tuple((k, list(v) if isinstance(v, tuple) else v) for k, v in frozen)
    return _cached_query(name, thawed, store_version(store_path()))


def has_data() -> bool:
    return not query("council_reports").is_empty()


def empty_state() -> None:
    st.info("No reports loaded yet: load one on the Data page of the admin app (`streamlit run admin.py`), or with "
            "`python -m etl load PATH --council NAME`.")


def require_data() -> None:
    """Stop a page that shows figures, saying what to do, while nothing is loaded."""
    if not has_data():
        empty_state()
        st.stop()
