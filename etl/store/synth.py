"""python -m etl synth: a realistic synthetic store for benchmarks and demos, built in DuckDB
with set-based SQL (sql/synth.sql), written like a load: on a copy, renamed into place."""
from __future__ import annotations

import time
from pathlib import Path

from etl.store.store import Store, sql_text


def build_synthetic_store(db: Path, recommendations: int, seed: int = 1) -> float:
    started = time.perf_counter()
    with Store(db).writing() as con:
        con.execute("BEGIN TRANSACTION").fetchall()
        for statement in con.extract_statements(sql_text("synth.sql")):
            con.execute(statement, {k: v for k, v in {"recommendations": recommendations, "seed": seed}.items()
                                    if f"${k}" in str(statement.query)}).fetchall()
        con.execute("COMMIT").fetchall()
    return time.perf_counter() - started
