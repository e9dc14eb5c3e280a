"""python -m etl synth: a realistic synthetic store for benchmarks and demos, built in DuckDB
with set-based SQL (sql/synth.sql), written like a load: on a copy, renamed into place. It is a
real store: its ids come from the store's sequence, which it advances, and its materialised
tables are rebuilt in the same transaction, so loads, removals and migrations work on it."""
from __future__ import annotations

import time
from pathlib import Path

from etl.store.derived import rebuild_all
from etl.store.store import Store, sql_text


def build_synthetic_store(db: Path, recommendations: int, seed: int = 1) -> float:
    started = time.perf_counter()
    with Store(db).writing() as con:
        con.execute("BEGIN TRANSACTION").fetchall()
        for statement in con.extract_statements(sql_text("synth.sql")):
            con.execute(statement, {k: v for k, v in {"recommendations": recommendations, "seed": seed}.items()
                                    if f"${k}" in str(statement.query)}).fetchall()
        rebuild_all(con)
        con.execute("COMMIT").fetchall()
    return time.perf_counter() - started
