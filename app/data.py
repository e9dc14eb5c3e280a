"""The stores as pages see them: which store a session shows, one read-only connection per store
file, the first-run builds (the demo history, the bundled samples), and the pages' queries
(sql/queries/NAME.sql), cached per store and version. Also the guard a page runs before showing
figures while nothing is loaded."""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from etl import settings
from etl.store.readonly import open_safe
from etl.store.sqlfiles import SQL_DIR
from etl.store.store import SAMPLES_DIR, Store

# A query's named parameters (sql/queries/*.sql $names): text, numbers, dates, flags, lists of text.
QueryParams = dict[str, object]
# One row of a query's result as polars gives it (iter_rows(named=True)): column -> value.
QueryRow = dict[str, Any]

QUERIES = SQL_DIR / "queries"
SHOWN = "shown_store"  # session state: the file this dashboard session shows (app/demo.py chooses it)


def real_store_path() -> Path:
    """The store loads write and the admin app reads: $SLIPPAGE_DB, else data/audit.duckdb."""
    return Store.at().path


def demo_store_path() -> Path:
    """The demo history, beside data/audit.duckdb; its name carries its builder's version, so a
    changed builder is a new file and an old demo is never shown."""
    from etl.store.synth import demo_version

    return settings.default_db().with_name(f"demo-{demo_version()}.duckdb")


def store_path() -> Path:
    """The store this session's pages read: the one app/demo.py chose for it, else the real store
    (always so in the admin app, which never chooses).

    Only a page run knows its session: Streamlit runs a download's deferred callable in a thread
    of its own, where the session state reads empty, and this would answer the real store
    whichever store the page showed. So outside a page run it refuses: pass the path instead."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        raise RuntimeError(
            "no page run: which store a session shows is known only while its page runs; give the store's path, chosen while the page ran"
        )
    chosen = st.session_state.get(SHOWN)
    if chosen is None and PagesManager.uses_pages_directory:
        # A server's first page view was a link to a page, and Streamlit, having seen the pages/
        # folder and no st.navigation yet, ran that page on its own (its older multipage mode),
        # without dashboard.py choosing the store. Leave that mode, as st.navigation itself does,
        # and run the view again through dashboard.py.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return Path(chosen) if chosen else real_store_path()


def store_version(path: Path) -> tuple[int, int] | None:
    """Changes whenever a load renames a new file into place: the key for reopening and caches."""
    return Store(path).file_version()


def ensure_store(path: Path | None = None, shown: bool = True) -> None:
    """First run: build the store (default: the one this session shows): the demo history from
    sql/demo.sql, any other from the bundled samples, with each file's outcome where it is the
    store `shown`, else under a spinner. A store written by another version is migrated through the
    ETL (on a copy renamed into place; nothing is re-read from its source files), or, when it
    cannot be, the page says in one line what to run."""
    path = path or store_path()
    if path.exists():
        if not _store_is_current(str(path), store_version(path)):
            _migrate(path)
        return
    if path == demo_store_path():
        _build_demo(path)
        return
    from etl.load import load

    if not shown:
        with st.spinner("Loading the bundled samples into the real store…"):
            not_loaded = [o.line() for o in load([SAMPLES_DIR], path) if not o.ok]
        for line in not_loaded:
            st.error(f"A bundled sample could not be loaded: {line}")
        return
    with st.status("No database yet: building it from the bundled sample appendices…", expanded=True) as status:
        outcomes = load([SAMPLES_DIR], path, on_outcome=lambda o: st.text(o.line()))
        failed = [o for o in outcomes if not o.ok]
        status.update(
            label=f"Database built: {len(outcomes) - len(failed)} reports loaded",
            state="error" if failed else "complete",
            expanded=bool(failed),
        )


def _build_demo(path: Path) -> None:
    """The demo history (deterministic, about a second), and no demo of an earlier builder left beside it."""
    from etl.store.synth import build_demo_store

    with st.spinner("Building the demo history (a few seconds, once)…"):
        build_demo_store(path)
    for older in path.parent.glob("demo-*.duckdb*"):  # with its lock file
        if not older.name.startswith(path.name):
            older.unlink(missing_ok=True)


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
        st.error(
            f"The database was written by another version of slippage and could not be brought up to date "
            f"here ({first_line(exc)}): run `python -m etl migrate --db {path}`"
        )
        st.stop()


class _OpenStores:
    """The read-only connection this server holds to each store file, and which version of the file
    each reads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open: dict[str, tuple[tuple[int, int] | None, duckdb.DuckDBPyConnection]] = {}


@st.cache_resource(show_spinner=False)
def _open_stores() -> _OpenStores:
    return _OpenStores()


def connection(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The read-only, locked-down connection to a store (default: the one this session shows),
    reopened when a load has swapped in a new file.

    DuckDB keeps one database instance per path in a process, so the old connection is closed
    before the new file is opened; otherwise the old file's instance would be handed back."""
    path = path or store_path()
    version = store_version(path)
    holder = _open_stores()
    with holder.lock:
        held = holder.open.get(str(path))
        if held is None or held[0] != version:
            if held is not None:
                held[1].close()
            held = holder.open[str(path)] = (version, open_safe(path))
        return held[1]


@st.cache_data(max_entries=4, show_spinner=False)
def _store_is_current(path: str, version: tuple[int, int] | None) -> bool:
    from etl.store.store import is_current

    return is_current(connection(Path(path)))


@functools.cache
def sql_file(name: str) -> str:
    return (QUERIES / f"{name}.sql").read_text(encoding="utf-8")


@st.cache_data(max_entries=256, show_spinner=False)
def _cached_query(name: str, params: tuple[tuple[str, object], ...], path: str, version: tuple[int, int] | None) -> pl.DataFrame:
    cursor = connection(Path(path)).cursor()
    try:
        return cursor.sql(sql_file(name), params=dict(params)).pl()
    finally:
        cursor.close()


def query_at(path: Path, name: str, **params: object) -> pl.DataFrame:
    """Run sql/queries/NAME.sql on the store at `path` with named parameters; cached per store,
    its version and the parameters."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
    thawed = tuple((k, list(v) if isinstance(v, tuple) else v) for k, v in frozen)
    return _cached_query(name, thawed, str(path), store_version(path))


def query(name: str, **params: object) -> pl.DataFrame:
    """Run sql/queries/NAME.sql on the store this session shows (query_at)."""
    return query_at(store_path(), name, **params)


def report_choices() -> dict[str, int]:
    """Every report of the store by the label a picker shows ("Council, 31 Mar 2025 (file.pdf,
    report 7)"), for the admin app's sections that act on one report."""
    from app.text import uk_date

    return {
        f"{r['council']}, {uk_date(r['report_date'])} ({r['source_file']}, report {r['report_id']})": r["report_id"]
        for r in query("reports").iter_rows(named=True)
    }


def has_data() -> bool:
    return not query("council_reports").is_empty()


def empty_state() -> None:
    st.info(
        "No reports loaded yet: load one in the admin app (`streamlit run admin.py`), or with `python -m etl load PATH --council NAME`."
    )


def require_data() -> None:
    """Stop a page that shows figures, saying what to do, while nothing is loaded."""
    if not has_data():
        empty_state()
        st.stop()
