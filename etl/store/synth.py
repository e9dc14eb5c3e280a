"""Synthetic stores, built in DuckDB with set-based SQL and written like a load (on a copy, renamed
into place). Each is a real store: its ids come from the store's sequence, which it advances, and
its materialised tables are rebuilt in the same transaction, so loads, removals and migrations work
on it.

- python -m etl synth: the 300-council benchmark store (sql/synth.sql), about N recommendation rows.
- the demo history the dashboard opens on (sql/demo.sql): six fictional councils over eight quarters."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from etl.store.derived import rebuild_all
from etl.store.sqlfiles import sql_text
from etl.store.store import Store

DEMO_SQL = "demo.sql"
DEMO_SEED = 19


def build_synthetic_store(db: Path, recommendations: int, seed: int = 1) -> float:
    return _build(db, "synth.sql", {"recommendations": recommendations, "seed": seed})


def demo_version() -> str:
    """Changes whenever the demo's builder does: part of the demo store's file name, so a changed
    builder gives a new demo instead of showing an old one."""
    return hashlib.sha256(sql_text(DEMO_SQL).encode()).hexdigest()[:12]


def build_demo_store(db: Path) -> float:
    """The demo history in `db` (seconds taken). A store that already holds reports is left as it
    is, so two first page views at once build it once."""
    return _build(db, DEMO_SQL, {"seed": DEMO_SEED}, only_if_empty=True)


def _build(db: Path, script: str, params: dict[str, object], only_if_empty: bool = False) -> float:
    started = time.perf_counter()
    with Store(db).writing() as con:
        if only_if_empty and con.execute("SELECT count(*) FROM reports").fetchall()[0][0]:
            return time.perf_counter() - started
        con.execute("BEGIN TRANSACTION").fetchall()
        for statement in con.extract_statements(sql_text(script)):
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in str(statement.query)}).fetchall()
        rebuild_all(con)
        con.execute("COMMIT").fetchall()
    return time.perf_counter() - started
