"""The one way ad-hoc SQL reaches the store: read-only, one SELECT, no files or network,
a time limit and a row cap. Used by `python -m etl sql` and the dashboard's SQL page."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

# Fixed when the database is opened and locked, so a query cannot SET its way out of them.
SAFE_CONFIG = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}
ALLOWED = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000


class QueryRefused(ValueError):
    """The query was not run, or was stopped; the message is one line for the user."""


@dataclass
class QueryResult:
    frame: pl.DataFrame
    truncated: bool      # more rows exist than the cap allowed
    seconds: float
    max_rows: int


def open_safe(path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).exists():
        raise QueryRefused(f"no database at {path}: load appendices first with python -m etl load")
    return duckdb.connect(str(path), read_only=True, config=SAFE_CONFIG)


def _one_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def check_statement(con: duckdb.DuckDBPyConnection, query: str) -> None:
    if not query or not query.strip():
        raise QueryRefused("the query is empty")
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as exc:
        raise QueryRefused(f"syntax error: {_one_line(exc)}") from None
    if len(statements) != 1:
        raise QueryRefused(f"one statement at a time: this text holds {len(statements)}")
    kind = statements[0].type
    if kind not in ALLOWED:
        name = str(kind).split(".")[-1]
        raise QueryRefused(f"only read queries (SELECT) are allowed; this is a {name} statement")


def run_query(con: duckdb.DuckDBPyConnection, query: str, max_rows: int = DEFAULT_MAX_ROWS,
              timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
    """Run one read query on a connection opened with open_safe (or a cursor of one)."""
    check_statement(con, query)
    cursor = con.cursor()
    timer = threading.Timer(timeout, cursor.interrupt)
    started = time.perf_counter()
    timer.start()
    try:
        relation = cursor.sql(query)
        frame = relation.limit(max_rows + 1).pl() if relation is not None else pl.DataFrame()
    except duckdb.InterruptException:
        raise QueryRefused(f"stopped after {timeout:g} s: the query took longer than the time limit") from None
    except duckdb.Error as exc:
        if time.perf_counter() - started >= timeout:
            raise QueryRefused(f"stopped after {timeout:g} s: the query took longer than the time limit") from None
        raise QueryRefused(_one_line(exc)) from None
    finally:
        timer.cancel()
        cursor.close()
    seconds = time.perf_counter() - started
    truncated = frame.height > max_rows
    return QueryResult(frame.head(max_rows), truncated, seconds, max_rows)
